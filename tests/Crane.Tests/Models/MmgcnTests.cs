using Crane.Autograd;
using Crane.Graphs;
using Crane.Models;
using Crane.Numerics;
using Crane.Tests.Autograd;
using Crane.Tests.Graphs;
using static Crane.Tests.Models.DenseMath;
using static Crane.Tests.Models.ModelTestKit;

namespace Crane.Tests.Models;

public class MmgcnTests
{
    const int Users = 4, Items = 6, D = 3;

    // dim_latent=4: the 5-wide image branch maps to 4 first, the 3-wide audio branch works on raw features.
    static Mmgcn Create(params string[] settings) =>
        new(ModalData.Create(), WithOverrides(["embedding_size=3", "dim_latent=4"], settings), 7);

    /// <summary>D⁻¹A in double from the distinct training pairs: row n averages n's neighbours.</summary>
    static double[,] DenseMean()
    {
        var a = UserItemGraphTests.DenseReference(Users, Items, TinyData.TrainPairs);
        var mean = new double[Users + Items, Users + Items];
        for (int r = 0; r < Users + Items; r++)
        {
            int degree = Enumerable.Range(0, Users + Items).Count(c => a[r, c] != 0);
            for (int c = 0; c < Users + Items; c++) mean[r, c] = a[r, c] != 0 ? 1.0 / degree : 0;
        }
        return mean;
    }

    /// <summary>The (M+N)×d MMGCN representation of baselines.md, in double, from the model's parameters.</summary>
    static double[,] DenseForward(Mmgcn model, int layers)
    {
        var data = ModalData.Create();
        var mean = DenseMean();
        var id = Of(Parameter(model, "id_embedding").Value);
        Tensor P(string name) => Parameter(model, name).Value;
        double[,]? sum = null;
        foreach (var m in new[] { "image", "audio" })
        {
            var items = Of(data.Modalities[m]);
            if (m == "image") items = Linear(items, P("image.mlp.weight"), P("image.mlp.bias"));
            var x = RowNormalise(ConcatRows(Of(P($"{m}.preference")), items));
            for (int k = 1; k <= layers; k++)
            {
                var h = Map(MatMul(mean, MatMul(x, Of(P($"{m}.conv{k}.weight")))), LeakyRelu);
                var xHat = Add(Map(Linear(x, P($"{m}.linear{k}.weight"), P($"{m}.linear{k}.bias")), LeakyRelu), id);
                x = Map(Linear(ConcatColumns(h, xHat), P($"{m}.gate{k}.weight"), P($"{m}.gate{k}.bias")), LeakyRelu);
            }
            sum = sum is null ? x : Add(sum, x);
        }
        return Map(sum!, v => v / 2);
    }

    [Fact]
    public void Mean_aggregation_averages_the_neighbours_without_degree_normalisation()
    {
        var graph = UserItemGraph.MeanAdjacency(TinyData.Create().TrainMatrix);
        var x = GradCheck.Random(Users + Items, 2, 40);
        var y = new Tensor(Users + Items, 2);
        Crane.Numerics.SpMM.Multiply(graph, x, y);
        // Neighbours from the distinct pairs (user 0 – item 1 is repeated in training but counts once).
        var pairs = TinyData.TrainPairs.Distinct().ToArray();
        for (int n = 0; n < Users + Items; n++)
        {
            var neighbours = n < Users ? pairs.Where(p => p.User == n).Select(p => Users + p.Item).ToArray()
                                       : pairs.Where(p => p.Item == n - Users).Select(p => p.User).ToArray();
            for (int c = 0; c < 2; c++)
            {
                double expected = neighbours.Length == 0 ? 0 : neighbours.Average(j => (double)x[j, c]);
                Assert.Equal(expected, y[n, c], 1e-6);
            }
        }
        Assert.Equal([0.5f, 0.5f], graph.RowValues(Users + 1).ToArray()); // item 1: users 0 and 1, 1/2 each
    }

    [Fact]
    public void Gates_and_layers_have_the_documented_shapes()
    {
        var model = Create();
        (int, int) Shape(string name) => (Parameter(model, name).Rows, Parameter(model, name).Cols);
        // Image: raw 5 → latent 4 (d_m = 4); audio: raw 3 (d_m = 3). Layer 1 works at d_m, later layers at d.
        Assert.Equal((5, 4), Shape("image.mlp.weight"));
        Assert.Equal((Users, 4), Shape("image.preference"));
        Assert.Equal((Users, 3), Shape("audio.preference"));
        Assert.DoesNotContain(model.Parameters, p => p.Name == "audio.mlp.weight");
        foreach (var (m, dm) in new[] { ("image", 4), ("audio", 3) })
        {
            Assert.Equal((dm, dm), Shape($"{m}.conv1.weight"));
            Assert.Equal((dm, D), Shape($"{m}.linear1.weight"));
            Assert.Equal((dm + D, D), Shape($"{m}.gate1.weight"));
            for (int k = 2; k <= 3; k++)
            {
                Assert.Equal((D, D), Shape($"{m}.conv{k}.weight"));
                Assert.Equal((D, D), Shape($"{m}.linear{k}.weight"));
                Assert.Equal((2 * D, D), Shape($"{m}.gate{k}.weight"));
            }
        }
        Assert.Equal((Users + Items, D), Shape("id_embedding"));
        Assert.False(Create("dim_latent=8").Branches[0].Maps); // no up-projection of a narrower image table
    }

    [Fact]
    public void Scores_match_a_dense_double_reference()
    {
        var model = Create();
        Randomise(model, 41);
        var final = DenseForward(model, 3);
        Reference.AssertClose(ScoreAll(model, [0, 1, 2, 3], Items), Users, Items,
            (u, i) => Dot(Row(final, u), Row(final, Users + i)), 1e-4);
    }

    [Fact]
    public void Loss_is_bpr_plus_lambda_times_mmrecs_squared_means()
    {
        var model = Create("reg_weight=0.3");
        Randomise(model, 42);
        var final = DenseForward(model, 3);
        var id = Parameter(model, "id_embedding").Value;
        var b = Batch;
        double bpr = 0, reg = 0;
        for (int k = 0; k < b.Users.Length; k++)
        {
            var u = Row(final, b.Users[k]);
            double margin = Dot(u, Row(final, Users + b.Positives[k])) - Dot(u, Row(final, Users + b.Negatives[k]));
            bpr += Math.Log(1 + Math.Exp(-margin));
            double Sq(int row) => Enumerable.Range(0, D).Sum(c => (double)id[row, c] * id[row, c]);
            reg += 2 * Sq(b.Users[k]) + Sq(Users + b.Positives[k]) + Sq(Users + b.Negatives[k]);
        }
        double MeanSquare(string name) => Parameter(model, name).Value.Data.Average(v => (double)v * v);
        double expected = bpr / b.Users.Length + 0.3 * (reg / (2 * b.Users.Length * D) + MeanSquare("image.preference") + MeanSquare("audio.preference"));
        Assert.Equal(expected, LossValue(model), 1e-4);
    }

    [Fact]
    public void Loss_gradient_matches_finite_differences() => AssertLossGradient(Create("reg_weight=0.5", "n_layers=2"), 43);

    [Fact]
    public void With_mmrec_quirks_the_other_gradients_are_unchanged()
    {
        // Same seed, so the frozen tables hold the values the trainable ones start from.
        var quirky = Create("reg_weight=0.5", "mmrec_quirks=true");
        var intended = Create("reg_weight=0.5");
        Randomise(quirky, 44);
        foreach (var p in quirky.Parameters) p.Value.Data.CopyTo(Parameter(intended, p.Name!).Value.Data, 0);
        quirky.Loss(Batch).Backward();
        intended.Loss(Batch).Backward();
        foreach (var p in quirky.Parameters)
            Assert.Equal(Parameter(intended, p.Name!).Grad!.Data, p.Grad!.Data);
    }

    [Fact]
    public void Mmrec_quirks_freeze_the_id_table_and_the_preferences()
    {
        var quirky = Create("mmrec_quirks=true");
        Assert.DoesNotContain(quirky.Parameters, p => p.Name is "id_embedding" or "image.preference" or "audio.preference");
        var preference = quirky.Branches[1].Preference.Value.Clone();
        Train(quirky);
        Assert.Equal(preference.Data, quirky.Branches[1].Preference.Value.Data);
        // Everything else is the same model: same initial draws, so the same scores before training.
        var (a, b) = (Create("mmrec_quirks=true"), Create());
        Assert.Equal(ScoreAll(a, [0, 1, 2, 3], Items).Data, ScoreAll(b, [0, 1, 2, 3], Items).Data);
        Assert.Equal(b.Parameters.Count - 3, a.Parameters.Count);
    }

    [Theory]
    [InlineData("mmrec_quirks=false")]
    [InlineData("mmrec_quirks=true")]
    public void Save_then_load_gives_identical_scores(string quirks) =>
        ModelChecksKit.AssertRoundTrip(Mmgcn.Name, ModalData.Create(), "embedding_size=4", "dim_latent=4", quirks);

    [Fact]
    public void Short_training_beats_random_recall() =>
        ModelChecksKit.AssertBeatsRandom(Mmgcn.Name, 10, "embedding_size=16", "dim_latent=16");

    [Theory]
    [InlineData("n_layers=0", "n_layers=0")]
    [InlineData("dim_latent=0", "dim_latent=0")]
    [InlineData("modalities=text", "'text'", "audio, image")]
    public void Bad_settings_are_rejected_by_name(string setting, params string[] fragments) =>
        Reference.AssertRejected<ArgumentException>(() => Create(setting), fragments);
}
