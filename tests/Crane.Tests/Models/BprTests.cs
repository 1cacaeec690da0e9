using Crane.Models;
using Crane.Tests.Autograd;
using static Crane.Tests.Models.ModelTestKit;

namespace Crane.Tests.Models;

public class BprTests
{
    static Bpr Create(params string[] settings) => new(TinyData.Create(), ModelSettings.Parse(settings), 7);

    [Fact]
    public void Defaults_are_resolved_for_the_run_config()
    {
        var settings = new ModelSettings();
        var model = new Bpr(TinyData.Create(), settings, 7);
        Assert.Equal(new Dictionary<string, string> { ["embedding_size"] = "64", ["reg_weight"] = "0.1" }, settings.Resolved);
        Assert.Equal(["user_embedding", "item_embedding"], model.Parameters.Select(p => p.Name));
        Assert.Equal((4, 64), (model.Parameters[0].Rows, model.Parameters[0].Cols));
        Assert.Equal((6, 64), (model.Parameters[1].Rows, model.Parameters[1].Cols));
        Assert.Empty(model.UsedModalities);
    }

    [Fact]
    public void Loss_is_bpr_plus_unsquared_emb_loss()
    {
        var model = Create("embedding_size=3", "reg_weight=0.5");
        Randomise(model, 81);
        var (users, items) = (model.Parameters[0].Value, model.Parameters[1].Value);
        double expected = BprWithEmbLoss(Batch, u => RowOf(users, u), i => RowOf(items, i), u => RowOf(users, u), i => RowOf(items, i), 0.5);
        Assert.Equal(expected, LossValue(model), 1e-5);
    }

    [Fact]
    public void Loss_gradient_matches_finite_differences()
    {
        var model = Create("embedding_size=3", "reg_weight=0.5");
        Randomise(model, 82);
        GradCheck.CheckParameters(() => model.Loss(Batch), model.Parameters);
    }

    [Fact]
    public void Scores_are_inner_products_and_independent_of_batching()
    {
        var model = Create("embedding_size=5");
        Train(model);
        var (users, items) = (model.Parameters[0].Value, model.Parameters[1].Value);
        var all = ScoreAll(model, [0, 1, 2, 3], 6);
        Reference.AssertClose(all, 4, 6, (u, i) => Dot(RowOf(users, u), RowOf(items, i)));
        for (int u = 0; u < 4; u++) Assert.Equal(all.Row(u).ToArray(), ScoreAll(model, [u], 6).Row(0).ToArray());
    }

    [Fact]
    public void Same_seed_same_tables_other_seed_other_tables()
    {
        var a = new Bpr(TinyData.Create(), new ModelSettings(), 5);
        var b = new Bpr(TinyData.Create(), new ModelSettings(), 5);
        var c = new Bpr(TinyData.Create(), new ModelSettings(), 6);
        Assert.Equal(a.Parameters[0].Value.Data, b.Parameters[0].Value.Data);
        Assert.NotEqual(a.Parameters[0].Value.Data, c.Parameters[0].Value.Data);
    }

    [Theory]
    [InlineData("embedding_sise=32", "embedding_sise")]
    [InlineData("n_layers=2", "n_layers")]
    [InlineData("embedding_size=0", "embedding_size=0")]
    [InlineData("reg_weight=-1", "reg_weight=-1")]
    [InlineData("reg_weight=abc", "reg_weight=abc")]
    public void Bad_settings_are_rejected_by_name(string setting, string fragment) =>
        Reference.AssertRejected<ArgumentException>(() => Create(setting), fragment);

    [Fact]
    public void A_batch_without_negatives_is_rejected()
    {
        var model = Create();
        Reference.AssertRejected<ArgumentException>(() => model.Loss(new TrainingBatch([0, 1], [], [])), "bpr", "triples");
    }
}
