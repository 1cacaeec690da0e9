using Crane.Data;
using Crane.Evaluation;
using Crane.Models;
using Crane.Numerics;
using Crane.Tests.Evaluation;
using Crane.Training;

namespace Crane.Tests.Models;

/// <summary>End-to-end checks every feature model gets: a save/load round trip and a short run that beats random.</summary>
public static class ModelChecksKit
{
    /// <summary>Saves <paramref name="model"/>, loads it, and asserts the scores of every user are bit-identical.</summary>
    public static void AssertRoundTrip(Recommender model, Dataset data, ModelSettings settings, ulong seed)
    {
        var dir = Directory.CreateTempSubdirectory("crane-roundtrip-").FullName;
        try
        {
            var path = Path.Combine(dir, "model.crane");
            ModelFile.Save(path, model, data, settings.Resolved, seed);
            model.PrepareForScoring();
            int[] users = Enumerable.Range(0, data.UserCount).ToArray();
            var before = ModelTestKit.ScoreAll(model, users, data.ItemCount);
            var loaded = ModelFile.Load(path);
            Assert.Equal(model.Kind, loaded.Model.Kind);
            Assert.Equal(before.Data, ModelTestKit.ScoreAll(loaded.Model, users, data.ItemCount).Data);
        }
        finally { Directory.Delete(dir, recursive: true); }
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
        Assert.True(trained > 1.5 * chance, $"valid recall@20 {trained:F4} vs random {chance:F4}");
    }

    /// <summary>Trains a few steps, saves, loads, and asserts bit-identical scores and the carried modalities.</summary>
    public static void AssertRoundTrip(string kind, Crane.Data.Dataset data, params string[] settings)
    {
        var dir = Directory.CreateTempSubdirectory("crane-roundtrip-").FullName;
        try
        {
            var resolved = ModelSettings.Parse(settings);
            var model = ModelCatalog.Create(kind, data, resolved, 42);
            ModelTestKit.Train(model);
            var path = Path.Combine(dir, $"{kind}.crane");
            ModelFile.Save(path, model, data, resolved.Resolved, 42);
            var loaded = ModelFile.Load(path);
            int[] users = Enumerable.Range(0, data.UserCount).ToArray();
            model.PrepareForScoring();
            Assert.Equal(ModelTestKit.ScoreAll(model, users, data.ItemCount).Data, ModelTestKit.ScoreAll(loaded.Model, users, data.ItemCount).Data);
            Assert.Equal(model.UsedModalities.Order(), loaded.Data.Modalities.Keys.Order());
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    /// <summary>
    /// Test Recall@20 on the tiny synthetic set (300 users, 200 items, 8 clusters, image + text)
    /// after a short training run (batches of 512, lr 0.01) must beat the same model untrained
    /// (random initial scores) by half again, and 0.2 (random ranking gives about 20/190 ≈ 0.1).
    /// </summary>
    public static void AssertTrainingBeatsRandom(string kind, int epochs, params string[] settings)
    {
        var (trained, untrained) = RecallAfterTraining(kind, epochs, 0.01f, settings);
        Assert.True(trained > 1.5 * untrained && trained > 0.2, $"{kind}: recall@20 trained {trained:F3} vs untrained {untrained:F3}");
    }

    static (double Trained, double Untrained) RecallAfterTraining(string kind, int epochs, float learningRate, params string[] settings)
    {
        var data = Crane.Data.SyntheticGenerator.Generate(Crane.Data.SyntheticOptions.Tiny);
        var untrained = Crane.Evaluation.Evaluator.Evaluate(ModelCatalog.Create(kind, data, ModelSettings.Parse(settings), 5), data, Crane.Data.Split.Test)["recall@20"];
        var model = ModelCatalog.Create(kind, data, ModelSettings.Parse(settings), 5);
        var result = new Crane.Training.Trainer(new Crane.Training.TrainerOptions(Epochs: epochs, Patience: epochs, LearningRate: learningRate, BatchSize: 512))
            .Train(model, data);
        return (result.Test["recall@20"], untrained);
    }
}
