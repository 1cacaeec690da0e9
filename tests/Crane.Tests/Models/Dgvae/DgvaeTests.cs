using Crane.Autograd;
using Crane.Data;
using Crane.Evaluation;
using Crane.Experiments;
using Crane.Models;
using Crane.Numerics;
using Crane.Serving;
using Crane.Tests.Autograd;
using Crane.Training;
using static Crane.Tests.Models.ModelTestKit;

namespace Crane.Tests.Models;

public class DgvaeTests
{
    const int Items = 6;

    /// <summary>A few Adam steps on batches of all four users.</summary>
    static void Train(Dgvae model)
    {
        var adam = new Crane.Optim.Adam(model.Parameters, new Crane.Optim.AdamOptions(LearningRate: 0.05f));
        for (int s = 0; s < 3; s++)
        {
            adam.ZeroGrad();
            model.Loss(new TrainingBatch([0, 1, 2, 3], [], [])).Backward();
            adam.Step();
        }
    }

    static Dgvae Create(Dataset? data = null, params string[] settings) => Create(data, out _, settings);

    static Dgvae Create(Dataset? data, out ModelSettings resolved, params string[] settings)
    {
        resolved = ModelSettings.Parse(["embedding_size=3", "n_prototypes=2", "knn_k=2", "word_codes=2",
            "modalities=image,audio", "modality_weights=0.04,0.96", .. settings]);
        return new(data ?? ModalData.Create(), resolved, 7);
    }

    [Theory]
    [InlineData(0, 0f)]
    [InlineData(1, 0.00005f)]
    [InlineData(2000, 0.1f)]
    [InlineData(4000, 0.2f)]
    [InlineData(19999, 0.2f)]
    [InlineData(1_000_000, 0.2f)]
    public void Kl_weight_is_min_of_cap_and_step_over_20000(int step, float expected) =>
        Assert.Equal(expected, Dgvae.KlWeight(step), 6);

    [Fact]
    public void Kl_weight_follows_the_anneal_settings() =>
        Assert.Equal(0.05f, Dgvae.KlWeight(5, cap: 0.5f, steps: 100), 6);

    [Fact]
    public void Prototype_coupling_matches_hand_computed_values()
    {
        // q₁ = (1, 0), q₂ = (½, ½); v₁ = (1, 0), v₂ = (0, 1).
        // q₁: dots 1, 0; L1 distances 0, 2 (mean 1) → A₁₁ = tanh(1)·σ(1) = 0.5567700, A₁₂ = tanh(0)·σ(−1) = 0.
        // q₂: dots ½, ½; L1 distances 1, 1 (mean 1) → A₂ⱼ = tanh(½)·σ(0) = 0.2310586 each.
        Variable Row(float a, float b) => Variable.Constant(Tensor.FromArray(new[,] { { a, b } }));
        var result = PrototypeCoupling.Attend([Row(1, 0), Row(0.5f, 0.5f)], [Row(1, 0), Row(0, 1)]);
        Assert.Equal(0.5567700, result[0].Value[0, 0], 6);
        Assert.Equal(0.0, result[0].Value[0, 1], 6);
        Assert.Equal(0.2310586, result[1].Value[0, 0], 6);
        Assert.Equal(0.2310586, result[1].Value[0, 1], 6);
    }

    [Fact]
    public void Prototype_coupling_gradient_matches_finite_differences() =>
        // Queries and values in disjoint ranges: no coordinate of q − v is near the kink of |·|.
        GradCheck.Check(v => Ops.ConcatColumns(PrototypeCoupling.Attend([v[0], v[1]], [v[2], v[3], v[4]])),
            GradCheck.Random(3, 4, 1, 0.2f, 1f), GradCheck.Random(3, 4, 2, 0.2f, 1f),
            GradCheck.Random(3, 4, 3, -1f, -0.2f), GradCheck.Random(3, 4, 4, -1f, -0.2f), GradCheck.Random(3, 4, 5, -1f, -0.2f));

    [Fact]
    public void Mutual_information_term_matches_its_formula()
    {
        var rGivenT = new[] { GradCheck.Random(2, 3, 11), GradCheck.Random(2, 3, 12), GradCheck.Random(2, 3, 13) };
        var tGivenR = new[] { GradCheck.Random(2, 3, 14), GradCheck.Random(2, 3, 15), GradCheck.Random(2, 3, 16) };
        static double Softplus(double x) => Math.Log(1 + Math.Exp(x));
        double Dot(Tensor a, Tensor b, int u) => ModelTestKit.Dot(RowOf(a, u), RowOf(b, u));
        double expected = 0;
        for (int k = 0; k < 3; k++)
            for (int u = 0; u < 2; u++)
            {
                double negatives = Enumerable.Range(0, 3).Where(j => j != k).Average(j => Softplus(Dot(rGivenT[k], tGivenR[j], u)));
                expected += (negatives + Softplus(-Dot(rGivenT[k], tGivenR[k], u))) / 2 / 3;
            }
        var actual = Dgvae.MutualInformation(rGivenT.Select(Variable.Constant).ToArray(), tGivenR.Select(Variable.Constant).ToArray());
        Assert.Equal(expected, actual.Value.Data[0], 5);
    }

    [Fact]
    public void The_evaluation_encoder_folds_the_smoothing_into_the_weight_with_the_same_codes()
    {
        // Training path without dropout or ε: h_k = (x_k + x_k·S·S)/2 on the batch, then Linear;
        // evaluation path: x_k·(W + S·S·W)/2 + b. Same z_k up to rounding.
        var data = ModalData.Create();
        var graph = Crane.Graphs.FeatureItemGraph.Mixed([(data.Modalities["image"], 0.3f), (data.Modalities["audio"], 0.7f)], 2);
        var vae = new DisentangledVae(Items, 3, 2, 0.5f, graph, new Rng(8), "rating");
        var x = Variable.Constant(GradCheck.Random(4, Items, 9, 0f, 1f));
        var c = vae.Assignment(null, p => p);
        var (training, _) = vae.Encode(x, c, new DgvaeNoise(new Rng(1), 0f, 0f), p => p);
        var (evaluation, _) = vae.Encode(x, c, null, p => p);
        for (int k = 0; k < 2; k++)
            for (int i = 0; i < training[k].Value.Length; i++) Assert.Equal(training[k].Value.Data[i], evaluation[k].Value.Data[i], 5);
    }

    [Theory]
    [InlineData("tau=0.1", 1e-3f)]
    [InlineData("tau=1", GradCheck.Step)]
    public void Loss_gradient_matches_finite_differences(string tau, float step)
    {
        // At the default τ = 0.1 the assignment softmax (cos/τ) is sharp: the central difference
        // needs a step of 1e-3 there (at 1e-2 its truncation error exceeds the tolerance).
        var model = Create(null, tau);
        Randomise(model, 31);
        // The same noise (Gumbel, dropout masks, ε) for every evaluation: a fresh stream each time.
        GradCheck.CheckParameters(() => model.LossAt([0, 1, 3], 0.1f, new DgvaeNoise(new Rng(3), 0.5f, 0.075f)), model.Parameters, step);
    }

    [Fact]
    public void Trains_on_user_batches_and_records_its_word_source()
    {
        var model = Create();
        Assert.Equal(BatchKind.Users, model.BatchKind);
        Assert.Equal(["image", "audio"], model.UsedModalities);
        Assert.False(model.UsesItemText);
        Assert.StartsWith("pseudo-words: k-means codes, 2 per modality of image, audio", model.Provenance["dgvae.words"]);
        Assert.Equal(4, ModelTestKit.Parameter(model, "words.embedding").Rows);   // V = 2 codes × 2 modalities
        Reference.AssertRejected<ArgumentException>(() => Create(null, "words=text"), "words=text", "item_text.tsv");
    }

    [Fact]
    public void Scores_do_not_depend_on_batching_and_survive_a_save_and_load()
    {
        var data = ModalData.Create();
        var model = Create(data, out var settings);
        Train(model);
        var all = ScoreAll(model, [0, 1, 2, 3], Items);
        for (int u = 0; u < 4; u++) Assert.Equal(all.Row(u).ToArray(), ScoreAll(model, [u], Items).Row(0).ToArray());
        // Scoring encodes each user's own columns only; the batched full-row forward agrees.
        var full = model.FullRowLogits([0, 1, 2, 3]);
        for (int i = 0; i < all.Length; i++) Assert.Equal(full.Data[i], all.Data[i], 4);

        var path = Path.Combine(Path.GetTempPath(), $"crane-dgvae-{Guid.NewGuid():N}.crane");
        try
        {
            TrainedModel.From(model, data, settings.Resolved, 7).Save(path);
            Assert.Equal(all.Data, ScoreAll(TrainedModel.Load(path).Scorer, [0, 1, 2, 3], Items).Data);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void The_same_seed_gives_the_same_bits_after_training()
    {
        var (a, b) = (Create(), Create());
        Train(a);
        Train(b);
        for (int p = 0; p < a.Parameters.Count; p++) Assert.Equal(a.Parameters[p].Value.Data, b.Parameters[p].Value.Data);
        var c = new Dgvae(ModalData.Create(), ModelSettings.Parse(["embedding_size=3", "n_prototypes=2", "knn_k=2", "word_codes=2",
            "modalities=image,audio", "modality_weights=0.04,0.96"]), 8);
        Train(c);
        Assert.NotEqual(a.Parameters[0].Value.Data, c.Parameters[0].Value.Data);
    }

    [Fact]
    public void With_item_text_the_words_come_from_the_text_and_travel_in_the_saved_model()
    {
        var data = DgvaeWordsTests.WithText();
        var model = Create(data, out var settings);
        Assert.True(model.UsesItemText);
        Assert.StartsWith("text: item_text.tsv, 5 words", model.Provenance["dgvae.words"]);
        Train(model);
        var before = ScoreAll(model, [0, 1, 2, 3], Items);
        var path = Path.Combine(Path.GetTempPath(), $"crane-dgvae-{Guid.NewGuid():N}.crane");
        try
        {
            TrainedModel.From(model, data, settings.Resolved, 7).Save(path);
            var loaded = TrainedModel.Load(path);
            Assert.Equal(data.ItemText, loaded.ItemText);
            Assert.Equal(before.Data, ScoreAll(loaded.Scorer, [0, 1, 2, 3], Items).Data);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void The_run_manifest_records_the_word_source()
    {
        var root = Directory.CreateTempSubdirectory("crane-dgvae-run-").FullName;
        try
        {
            var model = Create();
            var run = RunFolder.Create(Path.Combine(root, "run"));
            run.Begin(new RunConfig(Dgvae.Name, new Dictionary<string, string>(), new TrainerOptions(), 1, root), ModalData.Create(), model);
            using var manifest = System.Text.Json.JsonDocument.Parse(File.ReadAllText(run.PathOf(RunFolder.ManifestFile)));
            Assert.Equal(model.Provenance["dgvae.words"], manifest.RootElement.GetProperty("model").GetProperty("dgvae.words").GetString());
        }
        finally { Directory.Delete(root, recursive: true); }
    }

    [Fact]
    public void A_short_run_on_tiny_synthetic_data_beats_random_scores()
    {
        var data = SyntheticGenerator.Generate(SyntheticOptions.Tiny);
        var model = new Dgvae(data, ModelSettings.Parse(["embedding_size=16", "word_codes=16"]), 3);
        var trainer = new Trainer(new TrainerOptions(Epochs: 8, Patience: 8, LearningRate: 1e-2f, UserBatchSize: 64, Seed: 3));
        var result = trainer.Train(model, data);

        var random = new Tensor(data.UserCount, data.ItemCount);
        new Rng(5).FillUniform(random.Data, 0f, 1f);
        var chance = Evaluator.Evaluate(new Crane.Tests.Evaluation.FixedScoresModel(random), data, Split.Valid)["recall@20"];
        Assert.True(result.BestValidation["recall@20"] > 1.5 * chance, $"valid R@20 {result.BestValidation["recall@20"]:F4} vs random {chance:F4}");
    }
}
