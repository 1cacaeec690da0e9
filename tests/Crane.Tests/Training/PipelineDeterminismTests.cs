using Crane.Data;
using Crane.Models;
using Crane.Numerics;
using Crane.Training;

namespace Crane.Tests.Training;

/// <summary>
/// Same seed and thread count → the same metrics and parameters, bit for bit: the whole pipeline
/// (synthetic data, sampler, a model's forward/backward, Adam, evaluation) trained twice.
/// </summary>
[Collection("Parallelism")]
public class PipelineDeterminismTests
{
    static (TrainingResult Result, float[] Parameters) Train(ulong seed, int threads = 2, string model = "lightgcn")
    {
        int saved = Parallelism.Threads;
        Parallelism.Threads = threads;
        try
        {
            var data = SyntheticGenerator.Generate(SyntheticOptions.Tiny with { Seed = seed });
            var recommender = ModelCatalog.Create(model, data, new ModelSettings(), seed);
            var result = new Trainer(new TrainerOptions(Epochs: 3, Patience: 3, LearningRate: 0.01f, Seed: seed)).Train(recommender, data);
            return (result, recommender.Parameters.SelectMany(p => p.Value.Data).ToArray());
        }
        finally { Parallelism.Threads = saved; }
    }

    [Theory]
    [InlineData("lightgcn")]
    [InlineData("freedom")]         // per-epoch edge pruning from the trainer's epoch stream
    [InlineData("crane-released")]  // and block-wise attention over the 200 items
    [InlineData("lattice")]         // learned kNN graph rebuilt each epoch
    [InlineData("lgmrec")]          // Gumbel noise and dropout from the epoch stream
    public void Training_twice_with_the_same_seed_and_threads_gives_identical_bits(string model)
    {
        var (first, firstParameters) = Train(7, model: model);
        var (second, secondParameters) = Train(7, model: model);
        Assert.All(first.History, e => Assert.True(double.IsFinite(e.Loss)));
        Assert.Equal(first.History.Select(e => e.Loss), second.History.Select(e => e.Loss));
        Assert.Equal(first.Test.Values, second.Test.Values);
        Assert.Equal(firstParameters, secondParameters);
    }

    [Fact]
    public void A_different_seed_gives_a_different_model()
    {
        var (_, first) = Train(7);
        var (_, other) = Train(8);
        Assert.NotEqual(first, other);
    }
}
