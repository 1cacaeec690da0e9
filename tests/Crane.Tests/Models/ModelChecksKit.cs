using Crane.Data;
using Crane.Evaluation;
using Crane.Models;
using Crane.Numerics;
using Crane.Tests.Evaluation;
using Crane.Training;
using Crane.Serving;

namespace Crane.Tests.Models;

/// <summary>End-to-end checks every feature model gets: a save/load round trip and a short run that beats random.</summary>
public static class ModelChecksKit
{
    /// <summary>
    /// Saves <paramref name="model"/>, loads it, and asserts the scores of every user are
    /// bit-identical.
    /// </summary>
    public static void AssertRoundTrip(Recommender model, Dataset data, ModelSettings settings, ulong seed)
    {
        var dir = Directory.CreateTempSubdirectory("crane-roundtrip-").FullName;
        try
        {
            var path = Path.Combine(dir, "model.crane");
            TrainedModel.From(model, data, settings.Resolved, seed).Save(path);
            int[] users = Enumerable.Range(0, data.UserCount).ToArray();
            var before = ModelTestKit.ScoreAll(model, users, data.ItemCount);
            var loaded = TrainedModel.Load(path);
            Assert.Equal(model.Kind, loaded.Kind);
            Assert.Equal(before.Data, ModelTestKit.ScoreAll(loaded.Scorer, users, data.ItemCount).Data);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    /// <summary><see cref="AssertRoundTrip(Recommender, Dataset, ModelSettings, ulong)"/> for a model of <paramref name="kind"/> trained a few steps first.</summary>
    public static void AssertRoundTrip(string kind, Dataset data, params string[] settings)
    {
        var resolved = ModelSettings.Parse(settings);
        var model = ModelCatalog.Create(kind, data, resolved, 42);
        ModelTestKit.Train(model);
        AssertRoundTrip(model, data, resolved, 42);
    }

    /// <summary>
    /// Trains <paramref name="model"/> for a few epochs on <paramref name="data"/> and asserts its
    /// validation Recall@20 is at least 1.5 times that of uniformly random scores.
    /// </summary>
    public static void AssertBeatsRandom(Recommender model, Dataset data, int epochs = 5, float learningRate = 0.01f)
    {
        var result = new Trainer(new TrainerOptions(Epochs: epochs, LearningRate: learningRate, BatchSize: 256, Seed: 3)).Train(model, data);
        var random = new Tensor(data.UserCount, data.ItemCount);
        new Rng(11).FillUniform(random.Data, 0f, 1f);
        double chance = Evaluator.Evaluate(new FixedScoresModel(random), data, Split.Valid)["recall@20"];
        double trained = result.BestValidation["recall@20"];
        Assert.True(trained > 1.5 * chance, $"{model.Kind}: valid recall@20 {trained:F4} vs random {chance:F4}");
    }

    /// <summary><see cref="AssertBeatsRandom(Recommender, Dataset, int, float)"/> for a model of <paramref name="kind"/> on the tiny synthetic set (300 users, 200 items, 8 clusters, image + text).</summary>
    public static void AssertBeatsRandom(string kind, int epochs, params string[] settings)
    {
        var data = SyntheticGenerator.Generate(SyntheticOptions.Tiny);
        AssertBeatsRandom(ModelCatalog.Create(kind, data, ModelSettings.Parse(settings), 5), data, epochs);
    }
}
