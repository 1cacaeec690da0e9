using Crane.Data;
using Crane.Models;
using Crane.Numerics;
using Crane.Tests.Autograd;
using Crane.Tests.Graphs;
using static Crane.Tests.Models.ModelTestKit;

namespace Crane.Tests.Models;

public class LatticeTests
{
    const int Users = 4, Items = 6, D = 3;

    static Lattice Create(params string[] settings) => new(ModalData.Create(), Settings(settings), 7);

    static ModelSettings Settings(params string[] settings) => WithOverrides(["embedding_size=3", "knn_k=3"], settings);

    /// <summary>kNN(cos(x)) with values, self included, as a dense N×N matrix (double, brute force).</summary>
    static double[,] DenseKnn(double[,] x, int k)
    {
        int n = x.GetLength(0), c = x.GetLength(1);
        double Norm(int r) => Math.Sqrt(Enumerable.Range(0, c).Sum(j => x[r, j] * x[r, j]));
        var s = new double[n, n];
        for (int r = 0; r < n; r++)
        {
            var cos = Enumerable.Range(0, n).Select(q => Enumerable.Range(0, c).Sum(j => x[r, j] * x[q, j]) / (Norm(r) * Norm(q))).ToArray();
            foreach (int q in Enumerable.Range(0, n).OrderByDescending(q => cos[q]).ThenBy(q => q).Take(k)) s[r, q] = cos[q];
        }
        return s;
    }

    /// <summary>D^{-1/2} M D^{-1/2}, D = row sums.</summary>
    static double[,] Lsym(double[,] m)
    {
        int n = m.GetLength(0);
        var d = Enumerable.Range(0, n).Select(r => Enumerable.Range(0, n).Sum(c => m[r, c])).ToArray();
        var y = new double[n, n];
        for (int r = 0; r < n; r++) for (int c = 0; c < n; c++) y[r, c] = m[r, c] / Math.Sqrt(d[r] * d[c]);
        return y;
    }

    static double[,] ToDouble(Tensor t)
    {
        var y = new double[t.Rows, t.Cols];
        for (int r = 0; r < t.Rows; r++) for (int c = 0; c < t.Cols; c++) y[r, c] = t[r, c];
        return y;
    }

    /// <summary>P = X·W + b in double, from the model's trainable copy of X.</summary>
    static double[,] Projected(Lattice model, string m)
    {
        var (x, w, b) = (Parameter(model, $"feature.{m}").Value, Parameter(model, $"project.{m}.weight").Value, Parameter(model, $"project.{m}.bias").Value);
        var p = new double[x.Rows, D];
        for (int r = 0; r < x.Rows; r++)
            for (int c = 0; c < D; c++) p[r, c] = b[0, c] + Enumerable.Range(0, x.Cols).Sum(k => (double)x[r, k] * w[k, c]);
        return p;
    }

    /// <summary>S = (1−λ)·Lsym(Σ w_m kNN(cos P_m)) + λ·Σ w_m Lsym(kNN(cos X_m)), w = softmax(ω), modalities in name order.</summary>
    static double[,] DenseItemGraph(Lattice model, Dataset data, double lambda, int k)
    {
        string[] modalities = ["audio", "image"];
        var omega = Parameter(model, "modal_weight").Value.Data;
        var w = omega.Select(o => Math.Exp(o) / omega.Sum(q => Math.Exp(q))).ToArray();
        var learned = new double[Items, Items];
        var original = new double[Items, Items];
        for (int m = 0; m < 2; m++)
        {
            var s = DenseKnn(Projected(model, modalities[m]), k);
            var s0 = Lsym(DenseKnn(ToDouble(data.Modalities[modalities[m]]), k));
            for (int r = 0; r < Items; r++)
                for (int c = 0; c < Items; c++) { learned[r, c] += w[m] * s[r, c]; original[r, c] += w[m] * s0[r, c]; }
        }
        var normalised = Lsym(learned);
        var graph = new double[Items, Items];
        for (int r = 0; r < Items; r++) for (int c = 0; c < Items; c++) graph[r, c] = (1 - lambda) * normalised[r, c] + lambda * original[r, c];
        return graph;
    }

    /// <summary>Makes the features and projections positive, so every cosine (and row sum) is positive.</summary>
    static void Positive(Lattice model)
    {
        foreach (var p in model.Parameters.Where(p => p.Name!.StartsWith("feature.") || p.Name.StartsWith("project.")))
            for (int i = 0; i < p.Value.Length; i++) p.Value.Data[i] = 0.1f + Math.Abs(p.Value.Data[i]);
    }

    [Theory]
    [InlineData(0.9f)]
    [InlineData(0.3f)]
    public void Scoring_graph_mixes_learned_and_original_knn_graphs_as_a_dense_reference(float lambda)
    {
        var model = Create($"lambda_coeff={lambda}");
        Randomise(model, 31);
        Positive(model);
        Parameter(model, "modal_weight").Value.Data[0] = 0.8f;   // unequal modality weights

        model.CreateScorer();
        var expected = DenseItemGraph(model, ModalData.Create(), lambda, 3);
        var actual = UserItemGraphTests.Dense(model.ScoringGraph!);
        for (int r = 0; r < Items; r++)
            for (int c = 0; c < Items; c++) Assert.Equal(expected[r, c], actual[r, c], 1e-5);
        Assert.True(model.ScoringGraph!.NonZeros <= 4 * Items * 3, "sparse: at most the union of four kNN graphs");
    }

    [Fact]
    public void Scores_are_the_layer_mean_on_the_self_looped_graph_plus_the_normalised_item_branch()
    {
        var model = Create();
        Randomise(model, 32);
        Positive(model);

        // ē = layer mean (2 layers) on D̃^{-1}(A+I); h = S·E_I; item = ē_i + h_i/‖h_i‖.
        int n = Users + Items;
        var a = new double[n, n];
        foreach (var (u, i) in TinyData.TrainPairs) { a[u, Users + i] = 1; a[Users + i, u] = 1; }
        for (int r = 0; r < n; r++) a[r, r] = 1;
        for (int r = 0; r < n; r++) { double d = Enumerable.Range(0, n).Sum(c => a[r, c]); for (int c = 0; c < n; c++) a[r, c] /= d; }
        var e0 = Parameter(model, "embedding").Value;
        var mean = PropagationTests.DenseLayerMean(a, e0, 2);
        var s = DenseItemGraph(model, ModalData.Create(), 0.9, 3);
        var item = new double[Items, D];
        for (int i = 0; i < Items; i++)
        {
            var h = Enumerable.Range(0, D).Select(c => Enumerable.Range(0, Items).Sum(j => s[i, j] * e0[Users + j, c])).ToArray();
            double norm = Math.Sqrt(h.Sum(v => v * v));
            for (int c = 0; c < D; c++) item[i, c] = mean[Users + i, c] + h[c] / norm;
        }
        var scores = ScoreAll(model, [0, 1, 2, 3], Items);
        for (int u = 0; u < Users; u++)
            for (int i = 0; i < Items; i++)
                Assert.Equal(Enumerable.Range(0, D).Sum(c => mean[u, c] * item[i, c]), scores[u, i], 1e-4);
    }

    [Fact]
    public void Loss_gradient_matches_finite_differences_through_the_learned_graph()
    {
        // knn_k = all items keeps the kNN pattern fixed under the finite-difference steps.
        var model = Create("knn_k=6", "reg_weight=0.5");
        Randomise(model, 33);
        Positive(model);
        GradCheck.CheckParameters(() => { model.BeginEpoch(1, new Rng(1)); return model.Loss(Batch); }, model.Parameters);
    }

    [Fact]
    public void Only_an_epochs_first_batch_sends_gradient_through_the_graph_values()
    {
        var model = Create();
        Train(model, 1);
        model.BeginEpoch(1, new Rng(1));
        var features = Parameter(model, "feature.image");
        var weights = Parameter(model, "modal_weight");
        foreach (var p in model.Parameters) p.ZeroGrad();
        model.Loss(Batch).Backward();
        Assert.Contains(features.Grad!.Data, g => g != 0f);
        Assert.Contains(weights.Grad!.Data, g => g != 0f);

        foreach (var p in model.Parameters) p.ZeroGrad();
        model.Loss(Batch).Backward();                              // the same epoch: S detached (MMRec)
        Assert.Null(features.Grad);
        Assert.Null(weights.Grad);
        Assert.Contains(Parameter(model, "embedding").Grad!.Data, g => g != 0f);
    }

    [Fact]
    public void Learning_rate_decays_as_mmrec_lambda_lr()
    {
        var model = Create();
        Assert.Equal(1f, model.LearningRateFactor(1));
        Assert.Equal(0.96f, model.LearningRateFactor(51), 6);
        Assert.Equal(MathF.Pow(0.96f, 0.5f), model.LearningRateFactor(26), 6);
    }

    [Fact]
    public void Saved_model_scores_identically_after_loading()
    {
        var data = ModalData.Create();
        var settings = Settings();
        var model = new Lattice(data, settings, 7);
        Train(model);
        ModelChecksKit.AssertRoundTrip(model, data, settings, 7);
    }

    [Fact]
    public void Short_run_on_tiny_synthetic_data_beats_random() =>
        ModelChecksKit.AssertBeatsRandom(new Lattice(SyntheticGenerator.Generate(SyntheticOptions.Tiny), ModelSettings.Parse(["embedding_size=16"]), 3),
            SyntheticGenerator.Generate(SyntheticOptions.Tiny));

    [Theory]
    [InlineData("modalities=video", "no modality 'video'")]
    [InlineData("lambda_coeff=1.5", "lambda_coeff=1.5")]
    [InlineData("knn_k=7", "knn_k=7")]
    [InlineData("lr_decay=0", "lr_decay=0")]
    public void Bad_settings_are_refused_by_name(string setting, string message) =>
        Assert.Contains(message, Assert.Throws<ArgumentException>(() => Create(setting)).Message);
}
