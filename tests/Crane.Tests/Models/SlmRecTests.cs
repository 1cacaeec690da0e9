using Crane.Autograd;
using Crane.Models;
using Crane.Numerics;
using Crane.Tests.Autograd;
using Crane.Tests.Graphs;
using static Crane.Tests.Models.DenseMath;
using static Crane.Tests.Models.ModelTestKit;

namespace Crane.Tests.Models;

public class SlmRecTests
{
    const int Users = 4, Items = 6, D = 4, Layers = 2;

    static SlmRec Create(params string[] settings) =>
        new(ModalData.Create(), ModelSettings.Parse(["embedding_size=4", "n_layers=2", .. settings]), 7);

    /// <summary>(1/(L+1))·Σₗ Âˡ·E in double.</summary>
    static double[,] LayerMean(double[,] e)
    {
        var a = UserItemGraphTests.DenseReference(Users, Items, TinyData.TrainPairs);
        var (current, sum) = (e, e);
        for (int l = 0; l < Layers; l++) sum = Add(sum, current = MatMul(a, current));
        return Map(sum, v => v / (Layers + 1));
    }

    /// <summary>The propagated ID, image and audio views (users then items), in double from the model's parameters.</summary>
    static double[][,] DenseViews(SlmRec model)
    {
        var data = ModalData.Create();
        Tensor P(string name) => Parameter(model, name).Value;
        var e0 = Of(P("embedding"));
        var users = new double[Users, D];
        for (int u = 0; u < Users; u++) for (int c = 0; c < D; c++) users[u, c] = e0[u, c];
        double[,] View(string m) => LayerMean(ConcatRows(users, Linear(RowNormalise(Of(data.Modalities[m])), P($"project.{m}.weight"), P($"project.{m}.bias"))));
        return [LayerMean(e0), View("image"), View("audio")];
    }

    /// <summary>z_u for every user and z_i for every item: W[id ; v ; t] + b.</summary>
    static (double[,] Users, double[,] Items) DenseFused(SlmRec model)
    {
        var views = DenseViews(model);
        double[,] Part(double[,] v, int start, int count)
        {
            var y = new double[count, D];
            for (int r = 0; r < count; r++) for (int c = 0; c < D; c++) y[r, c] = v[start + r, c];
            return y;
        }
        Tensor P(string name) => Parameter(model, name).Value;
        return (Linear(ConcatColumns(views.Select(v => Part(v, 0, Users)).ToArray()), P("fuse_users.weight"), P("fuse_users.bias")),
                Linear(ConcatColumns(views.Select(v => Part(v, Users, Items)).ToArray()), P("fuse_items.weight"), P("fuse_items.bias")));
    }

    [Fact]
    public void In_batch_cross_entropy_matches_a_hand_computed_value()
    {
        // a = [[1, 0], [0, 1]], b = [[1, 1], [0, 2]], τ = 0.5: logits [[2, 0], [2, 4]];
        // row 0: −log(e²/(e² + 1)) = log(1 + e⁻²); row 1: −log(e⁴/(e² + e⁴)) = log(1 + e⁻²).
        var a = Variable.Constant(new Tensor(2, 2, [1f, 0f, 0f, 1f]));
        var b = Variable.Constant(new Tensor(2, 2, [1f, 1f, 0f, 2f]));
        Assert.Equal(Math.Log(1 + Math.Exp(-2)), Losses.InBatchCrossEntropy(a, b, 0.5f).Value.Data[0], 1e-6);
        // Large logits do not overflow.
        var big = Variable.Constant(new Tensor(2, 2, [100f, 0f, 0f, 100f]));
        Assert.Equal(0.0, Losses.InBatchCrossEntropy(big, big, 0.1f).Value.Data[0], 1e-6);
    }

    [Fact]
    public void In_batch_cross_entropy_gradient_matches_finite_differences() =>
        GradCheck.Check(v => Losses.InBatchCrossEntropy(v[0], v[1], 0.7f), GradCheck.Random(5, 3, 50), GradCheck.Random(5, 3, 51));

    [Fact]
    public void Main_loss_is_in_batch_infonce_of_the_fused_rows()
    {
        // Hand-computed from the dense reference: cosine logits / 0.2 over the batch's (user, positive) pairs; negatives unused.
        var model = Create("ssl_alpha=0");
        Randomise(model, 61);
        var (zu, zi) = DenseFused(model);
        var b = Batch;
        double expected = InBatchCrossEntropy(b.Users.Select(u => Normalise(Row(zu, u))).ToArray(), b.Positives.Select(i => Normalise(Row(zi, i))).ToArray(), 0.2);
        Assert.Equal(expected, LossValue(model), 1e-4);
        var otherNegatives = new Crane.Models.TrainingBatch(b.Users, b.Positives, [0, 0, 0, 0, 0]);
        Assert.Equal(LossValue(model), model.Loss(otherNegatives).Value.Data[0]);
    }

    [Fact]
    public void Fac_adds_alpha_times_the_fine_and_coarse_cross_entropies()
    {
        var with = Create("ssl_alpha=0.5", "ssl_temp=0.3");
        var without = Create("ssl_alpha=0");
        Randomise(with, 62);
        foreach (var p in without.Parameters) Parameter(with, p.Name!).Value.Data.CopyTo(p.Value.Data, 0);
        var views = DenseViews(with);
        Tensor P(string name) => Parameter(with, name).Value;
        double[,] Positives(double[,] view)
        {
            var y = new double[Batch.Positives.Length, D];
            for (int r = 0; r < y.GetLength(0); r++) for (int c = 0; c < D; c++) y[r, c] = view[Users + Batch.Positives[r], c];
            return y;
        }
        double[,] G(string name, double[,] x) => Linear(x, P($"fac.{name}.weight"), P($"fac.{name}.bias"));
        double[][] Rows(double[,] x) => Enumerable.Range(0, x.GetLength(0)).Select(r => Row(x, r)).ToArray();
        var a = G("g_i_iv", Positives(views[0]));
        double fine = InBatchCrossEntropy(Rows(a), Rows(G("g_v_iv", Positives(views[1]))), 0.3);
        var c = G("g_iva_ivat", G("g_iv_iva", a));
        Assert.Equal(D / 2, c.GetLength(1));
        double coarse = InBatchCrossEntropy(Rows(c), Rows(G("g_t_ivat", Positives(views[2]))), 0.3);
        Assert.Equal(LossValue(without) + 0.5 * (fine + coarse), LossValue(with), 1e-4);
    }

    [Fact]
    public void Scores_are_inner_products_of_the_fused_rows()
    {
        var model = Create();
        Randomise(model, 63);
        var (zu, zi) = DenseFused(model);
        Reference.AssertClose(ScoreAll(model, [0, 1, 2, 3], Items), Users, Items, (u, i) => Dot(Row(zu, u), Row(zi, i)), 1e-4);
    }

    [Fact]
    public void Loss_gradient_matches_finite_differences() => AssertLossGradient(Create("ssl_alpha=0.5", "temp=0.5", "ssl_temp=0.5"), 64);

    [Fact]
    public void Adam_weight_decay_is_the_models_own()
    {
        Assert.Equal(1e-4f, Create().AdamL2Penalty);
        Assert.Equal(0f, Create("weight_decay=0").AdamL2Penalty);
        Assert.Equal(0f, new Bpr(TinyData.Create(), new ModelSettings(), 1).AdamL2Penalty);
    }

    [Fact]
    public void Fac_needs_exactly_two_modalities_and_the_rest_takes_any_number()
    {
        Reference.AssertRejected<ArgumentException>(() => new SlmRec(VbprTests.ThreeModalities(), new ModelSettings(), 1), "FAC", "exactly two", "3 (image, text, audio)", "ssl_alpha=0");
        Reference.AssertRejected<ArgumentException>(() => Create("modalities=audio"), "exactly two", "1 (audio)");
        var three = new SlmRec(VbprTests.ThreeModalities(), ModelSettings.Parse(["ssl_alpha=0", "embedding_size=4"]), 1);
        Assert.Equal(["image", "text", "audio"], three.UsedModalities);
        Assert.Equal((4 * 4, 4), (Parameter(three, "fuse_items.weight").Rows, Parameter(three, "fuse_items.weight").Cols));
        Assert.True(double.IsFinite(LossValue(three)));
        Assert.True(double.IsFinite(LossValue(Create("modalities=audio", "ssl_alpha=0"))));
    }

    [Fact]
    public void Save_then_load_gives_identical_scores() => ModelChecksKit.AssertRoundTrip(SlmRec.Name, ModalData.Create(), "embedding_size=4");

    [Fact]
    public void Short_training_beats_random_recall() =>
        ModelChecksKit.AssertBeatsRandom(SlmRec.Name, 10, "embedding_size=16");

    [Theory]
    [InlineData("temp=0", "temp=0")]
    [InlineData("ssl_temp=-1", "ssl_temp=-1")]
    [InlineData("weight_decay=-1", "weight_decay=-1")]
    public void Bad_settings_are_rejected_by_name(string setting, params string[] fragments) =>
        Reference.AssertRejected<ArgumentException>(() => Create(setting), fragments);
}
