using Crane.Autograd;
using Crane.Data;
using Crane.Models;
using Crane.Numerics;
using Crane.Tests.Autograd;
using static Crane.Tests.Models.ModelTestKit;

namespace Crane.Tests.Models;

public class LgmRecTests
{
    const int Users = 4, Items = 6, D = 3;

    static ModelSettings Settings(params string[] settings) => ModelSettings.Parse(["embedding_size=3", .. settings]);

    static LgmRec Create(params string[] settings) => new(ModalData.Create(), Settings(settings), 7);

    static Variable Read(Variable p) => Variable.Constant(p.Value);

    [Fact]
    public void Hypergraph_pieces_have_the_documented_shapes()
    {
        var model = Create("hyper_num=5", "n_hyper_layer=2");
        var (items, users) = model.Assignments(0, Read, null);
        Assert.Equal((Items, 5), (items.Rows, items.Cols));
        Assert.Equal((Users, 5), (users.Rows, users.Cols));
        var output = model.Forward(Read, null, null);
        Assert.Equal((Users + Items, D), (output.Final.Rows, output.Final.Cols));
        Assert.Equal(2, output.HyperUsers.Length);
        Assert.All(output.HyperUsers, u => Assert.Equal((Users, D), (u.Rows, u.Cols)));
        Assert.All(output.HyperItems, i => Assert.Equal((Items, D), (i.Rows, i.Cols)));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Assignments_are_distributions_over_hyperedges(bool noisy)
    {
        var model = Create();
        Randomise(model, 41);
        var (items, users) = model.Assignments(1, Read, noisy ? new Rng(3) : null);
        foreach (var t in new[] { items.Value, users.Value })
            for (int r = 0; r < t.Rows; r++)
            {
                Assert.All(t.Row(r).ToArray(), v => Assert.True(v >= 0f));
                Assert.Equal(1.0, t.Row(r).ToArray().Sum(v => (double)v), 1e-5);
            }
    }

    [Fact]
    public void Noiseless_assignment_is_softmax_of_logits_over_tau_and_sharpens_as_tau_falls()
    {
        var data = ModalData.Create();
        double MeanMax(string tau)
        {
            var model = new LgmRec(data, Settings($"tau={tau}"), 7);
            Randomise(model, 42);
            var items = model.Assignments(1, Read, null).Items.Value;   // modality 1 = image
            // Reference: softmax(X·H/τ) in double, X the raw image table.
            var (x, h) = (data.Modalities["image"], Parameter(model, "hyper.image").Value);
            double t = double.Parse(tau, System.Globalization.CultureInfo.InvariantCulture);
            for (int i = 0; i < Items; i++)
            {
                var logits = Enumerable.Range(0, h.Cols).Select(e => Enumerable.Range(0, x.Cols).Sum(k => (double)x[i, k] * h[k, e]) / t).ToArray();
                double max = logits.Max(), z = logits.Sum(l => Math.Exp(l - max));
                for (int e = 0; e < h.Cols; e++) Assert.Equal(Math.Exp(logits[e] - max) / z, items[i, e], 1e-5);
            }
            return Enumerable.Range(0, Items).Average(i => items.Row(i).ToArray().Max());
        }
        double sharp = MeanMax("0.05"), mmrec = MeanMax("0.2"), soft = MeanMax("5");
        Assert.True(sharp > mmrec && mmrec > soft, $"mean largest weight {sharp} > {mmrec} > {soft}");
        Assert.True(soft < 0.5, $"τ = 5 is near uniform over 4 hyperedges ({soft})");
    }

    [Fact]
    public void Scoring_is_noiseless_unless_mmrec_quirks()
    {
        var data = ModalData.Create();
        var model = new LgmRec(data, Settings(), 7);
        Train(model);
        var first = ScoreAll(model, [0, 1, 2, 3], Items);
        Train(model, 0);
        Assert.Equal(first.Data, ScoreAll(model, [0, 1, 2, 3], Items).Data);

        // The same parameters with Gumbel noise at evaluation (MMRec) give other scores.
        var quirky = new LgmRec(data, Settings("mmrec_quirks=true"), 7);
        for (int p = 0; p < model.Parameters.Count; p++) model.Parameters[p].Value.Data.CopyTo(quirky.Parameters[p].Value.Data, 0);
        Assert.NotEqual(first.Data, ScoreAll(quirky, [0, 1, 2, 3], Items).Data);
    }

    [Fact]
    public void Loss_gradient_matches_finite_differences()
    {
        // Large cl and reg weights so every term shows; the noise and masks repeat because each
        // evaluation begins the same epoch.
        var model = Create("cl_weight=0.05", "reg_weight=0.5", "tau=0.5");
        Randomise(model, 43);
        GradCheck.CheckParameters(() => { model.BeginEpoch(1, new Rng(2)); return model.Loss(Batch); }, model.Parameters);
    }

    [Fact]
    public void Contrastive_term_sums_infonce_over_the_batch_for_users_and_positive_items()
    {
        // cl_weight scales exactly B·[mean InfoNCE(u_a, u_b vs all u_b) + mean InfoNCE(i_a, i_b vs all i_b)].
        var with = Create("cl_weight=1", "reg_weight=0", "keep_rate=1");
        var without = Create("cl_weight=0", "reg_weight=0", "keep_rate=1");
        Randomise(with, 44);
        Randomise(without, 44);
        with.BeginEpoch(1, new Rng(4));
        without.BeginEpoch(1, new Rng(4));
        double difference = LossValue(with) - LossValue(without);
        Assert.Equal(ReferenceContrastive(with, new Rng(4)), difference, 1e-3);
    }

    /// <summary>The contrastive term in double from the model's hypergraph rows under the noise of the epoch stream <paramref name="epoch"/>.</summary>
    static double ReferenceContrastive(LgmRec model, Rng epoch)
    {
        var o = model.Forward(p => Variable.Constant(p.Value), epoch.Fork("gumbel"), null);
        double Nce(Tensor a, Tensor b, int[] rows)
        {
            double total = 0;
            foreach (int r in rows)
            {
                double Cos(int j) { var (x, y) = (a.Row(r).ToArray(), b.Row(j).ToArray()); return Dot(x, y) / Math.Sqrt(Dot(x, x) * Dot(y, y)); }
                total += -Math.Log(Math.Exp(Cos(r) / 0.2) / Enumerable.Range(0, b.Rows).Sum(j => Math.Exp(Cos(j) / 0.2)));
            }
            return total;
        }
        return Nce(o.HyperUsers[0].Value, o.HyperUsers[1].Value, Batch.Users) + Nce(o.HyperItems[0].Value, o.HyperItems[1].Value, Batch.Positives);
    }

    static double[,] Mul(double[,] a, double[,] b, bool transA = false)
    {
        int n = transA ? a.GetLength(1) : a.GetLength(0), k = transA ? a.GetLength(0) : a.GetLength(1), m = b.GetLength(1);
        var y = new double[n, m];
        for (int r = 0; r < n; r++)
            for (int c = 0; c < m; c++)
                for (int q = 0; q < k; q++) y[r, c] += (transA ? a[q, r] : a[r, q]) * b[q, c];
        return y;
    }

    static double[,] Dbl(Tensor t)
    {
        var y = new double[t.Rows, t.Cols];
        for (int r = 0; r < t.Rows; r++) for (int c = 0; c < t.Cols; c++) y[r, c] = t[r, c];
        return y;
    }

    static double[,] RowNormalise(double[,] x)
    {
        var y = (double[,])x.Clone();
        for (int r = 0; r < x.GetLength(0); r++)
        {
            double norm = Math.Sqrt(Enumerable.Range(0, x.GetLength(1)).Sum(c => x[r, c] * x[r, c]));
            for (int c = 0; c < x.GetLength(1); c++) y[r, c] = x[r, c] / Math.Max(norm, 1e-12);
        }
        return y;
    }

    [Fact]
    public void Scores_match_a_dense_reference_of_the_noiseless_forward()
    {
        var data = ModalData.Create();
        var model = new LgmRec(data, Settings(), 7);
        Randomise(model, 45);

        // C = layer mean on Â; local M_m = Â²·[mean of items' X_m W_m ; X_m W_m]; Π = softmax(logits/τ);
        // G = Σ_m [Π_U Z ; Π_I Z], Z = Π_Iᵀ C_I; final = C + Σ rownorm(M_m) + α·rownorm(G).
        int n = Users + Items;
        var adjacency = Crane.Tests.Graphs.UserItemGraphTests.DenseReference(Users, Items, TinyData.TrainPairs);
        var final = Crane.Tests.Graphs.PropagationTests.DenseLayerMean(adjacency, Parameter(model, "embedding").Value, 2);
        var collaborative = (double[,])final.Clone();
        var cItems = new double[Items, D];
        for (int i = 0; i < Items; i++) for (int c = 0; c < D; c++) cItems[i, c] = final[Users + i, c];
        var r = new double[Users, Items];
        foreach (var (u, i) in TinyData.TrainPairs) r[u, i] = 1;
        var global = new double[n, D];
        foreach (var m in new[] { "audio", "image" })
        {
            var x = Dbl(data.Modalities[m]);
            var f = Mul(x, Dbl(Parameter(model, $"trs.{m}").Value));
            var mm = new double[n, D];
            for (int u = 0; u < Users; u++)
            {
                double degree = Enumerable.Range(0, Items).Sum(i => r[u, i]);
                for (int i = 0; i < Items; i++) for (int c = 0; c < D; c++) mm[u, c] += r[u, i] * f[i, c] / degree;
            }
            for (int i = 0; i < Items; i++) for (int c = 0; c < D; c++) mm[Users + i, c] = f[i, c];
            mm = RowNormalise(Mul(adjacency, Mul(adjacency, mm)));
            var logits = Mul(x, Dbl(Parameter(model, $"hyper.{m}").Value));
            double[,] Softmax(double[,] l)
            {
                var y = new double[l.GetLength(0), l.GetLength(1)];
                for (int q = 0; q < l.GetLength(0); q++)
                {
                    double max = Enumerable.Range(0, l.GetLength(1)).Max(e => l[q, e] / 0.2), z = Enumerable.Range(0, l.GetLength(1)).Sum(e => Math.Exp(l[q, e] / 0.2 - max));
                    for (int e = 0; e < l.GetLength(1); e++) y[q, e] = Math.Exp(l[q, e] / 0.2 - max) / z;
                }
                return y;
            }
            var (pi, pu) = (Softmax(logits), Softmax(Mul(r, logits)));
            var z = Mul(pi, cItems, transA: true);
            var (hu, hi) = (Mul(pu, z), Mul(pi, z));
            for (int q = 0; q < n; q++)
                for (int c = 0; c < D; c++)
                {
                    final[q, c] += mm[q, c];
                    global[q, c] += q < Users ? hu[q, c] : hi[q - Users, c];
                }
        }
        global = RowNormalise(global);
        // The parts the diagnosis report reads: C and the local rows L = C + Σ_m rownorm(M_m).
        var parts = model.Forward(Read, null, null);
        for (int q = 0; q < n; q++)
            for (int c = 0; c < D; c++)
            {
                Assert.Equal(collaborative[q, c], parts.Collaborative.Value[q, c], 1e-5);
                Assert.Equal(final[q, c], parts.Local.Value[q, c], 1e-5);
            }
        var scores = ScoreAll(model, [0, 1, 2, 3], Items);
        for (int u = 0; u < Users; u++)
            for (int i = 0; i < Items; i++)
            {
                double expected = Enumerable.Range(0, D).Sum(c => (final[u, c] + 0.3 * global[u, c]) * (final[Users + i, c] + 0.3 * global[Users + i, c]));
                Assert.Equal(expected, scores[u, i], 1e-4);
            }
    }

    [Fact]
    public void Saved_model_scores_identically_after_loading()
    {
        var data = ModalData.Create();
        var settings = Settings("mmrec_quirks=true");
        var model = new LgmRec(data, settings, 7);
        Train(model);
        ModelChecksKit.AssertRoundTrip(model, data, settings, 7);
    }

    [Fact]
    public void Short_run_on_tiny_synthetic_data_beats_random()
    {
        var data = SyntheticGenerator.Generate(SyntheticOptions.Tiny);
        ModelChecksKit.AssertBeatsRandom(new LgmRec(data, ModelSettings.Parse(["embedding_size=16"]), 3), data);
    }

    [Theory]
    [InlineData("keep_rate=0", "keep_rate=0")]
    [InlineData("tau=0", "tau=0")]
    [InlineData("n_hyper_layer=0", "n_hyper_layer=0")]
    [InlineData("modalities=text", "no modality 'text'")]
    public void Bad_settings_are_refused_by_name(string setting, string message) =>
        Assert.Contains(message, Assert.Throws<ArgumentException>(() => Create(setting)).Message);
}
