using Crane.Autograd;
using Crane.Graphs;
using Crane.Models;
using Crane.Numerics;
using Crane.Tests.Autograd;
using Crane.Tests.Graphs;
using static Crane.Tests.Models.ModelTestKit;

namespace Crane.Tests.Models;

public class LightGcnTests
{
    const int Users = 4, Items = 6;

    static LightGcn Create(params string[] settings) => new(TinyData.Create(), ModelSettings.Parse(settings), 7);

    /// <summary>The propagated table from the dense Â, in double, as float rows.</summary>
    static Tensor DenseMean(LightGcn model)
    {
        var e0 = model.Parameters[0].Value;
        var mean = PropagationTests.DenseLayerMean(UserItemGraphTests.DenseReference(Users, Items, TinyData.TrainPairs), e0, model.Layers);
        var t = new Tensor(e0.Rows, e0.Cols);
        for (int r = 0; r < t.Rows; r++) for (int c = 0; c < t.Cols; c++) t[r, c] = (float)mean[r, c];
        return t;
    }

    [Fact]
    public void Defaults_are_resolved_for_the_run_config()
    {
        var settings = new ModelSettings();
        var model = new LightGcn(TinyData.Create(), settings, 7);
        Assert.Equal(new Dictionary<string, string> { ["embedding_size"] = "64", ["n_layers"] = "2", ["reg_weight"] = "0.0001" }, settings.Resolved);
        Assert.Equal("embedding", Assert.Single(model.Parameters).Name);
        Assert.Equal((Users + Items, 64), (model.Parameters[0].Rows, model.Parameters[0].Cols));
    }

    [Fact]
    public void User_and_item_rows_are_xavier_uniform_with_their_own_fans()
    {
        // As MMRec's two nn.Embedding tables: users (M×d) then items (N×d) from one stream.
        var init = Rng.ForStream(7, "init");
        var users = Crane.Optim.Init.XavierUniform(new Tensor(Users, 8), init);
        var items = Crane.Optim.Init.XavierUniform(new Tensor(Items, 8), init);
        Assert.Equal(users.Data.Concat(items.Data), Create("embedding_size=8").Parameters[0].Value.Data);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Loss_is_bpr_on_propagated_rows_plus_emb_loss_on_layer_zero(int layers)
    {
        var model = Create("embedding_size=3", "reg_weight=0.5", $"n_layers={layers}");
        Randomise(model, 91);
        var e0 = model.Parameters[0].Value;
        var mean = DenseMean(model);
        double expected = BprWithEmbLoss(Batch, u => RowOf(mean, u), i => RowOf(mean, Users + i), u => RowOf(e0, u), i => RowOf(e0, Users + i), 0.5);
        Assert.Equal(expected, LossValue(model), 1e-5);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Loss_and_gradient_have_the_bits_of_full_graph_propagation(int layers)
    {
        // The textbook step: propagate the whole table, then gather the batch's rows.
        var model = Create("embedding_size=70", "reg_weight=0.5", $"n_layers={layers}");
        Randomise(model, 93);
        var embedding = model.Parameters[0];
        var graph = UserItemGraph.NormalizedAdjacency(TinyData.Create());
        int[] pos = [.. Batch.Positives.Select(i => Users + i)], neg = [.. Batch.Negatives.Select(i => Users + i)];
        var mean = Propagation.LayerMean(graph, embedding, layers, transposed: graph);
        var expected = Ops.Add(
            Losses.Bpr(Ops.GatherRows(mean, Batch.Users), Ops.GatherRows(mean, pos), Ops.GatherRows(mean, neg)),
            Ops.Scale(Losses.Emb(Ops.GatherRows(embedding, Batch.Users), Ops.GatherRows(embedding, pos), Ops.GatherRows(embedding, neg)), 0.5f));
        expected.Backward();
        var expectedGrad = embedding.Grad!.Clone();

        embedding.ZeroGrad();
        var loss = model.Loss(Batch);
        loss.Backward();
        Assert.Equal(expected.Value.Data[0], loss.Value.Data[0]);
        Assert.True(expectedGrad.Data.AsSpan().SequenceEqual(embedding.Grad!.Data));
    }

    [Fact]
    public void Loss_gradient_matches_finite_differences()
    {
        var model = Create("embedding_size=3", "reg_weight=0.5");
        Randomise(model, 92);
        GradCheck.CheckParameters(() => model.Loss(Batch), model.Parameters);
    }

    [Fact]
    public void Scores_use_the_propagated_tables_and_do_not_depend_on_batching()
    {
        var model = Create("embedding_size=5", "n_layers=3");
        Train(model);
        var mean = DenseMean(model);
        var all = ScoreAll(model, [0, 1, 2, 3], Items);
        Reference.AssertClose(all, Users, Items, (u, i) => Dot(RowOf(mean, u), RowOf(mean, Users + i)));
        for (int u = 0; u < Users; u++) Assert.Equal(all.Row(u).ToArray(), ScoreAll(model, [u], Items).Row(0).ToArray());
    }

    [Theory]
    [InlineData("n_layer=2", "n_layer")]
    [InlineData("n_layers=-1", "n_layers=-1")]
    [InlineData("embedding_size=0", "embedding_size=0")]
    public void Bad_settings_are_rejected_by_name(string setting, string fragment) =>
        Reference.AssertRejected<ArgumentException>(() => Create(setting), fragment);
}
