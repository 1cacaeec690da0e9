using Crane.Data;
using Crane.Models;
using Crane.Numerics;
using Crane.Training;

namespace Crane.Tests.Training;

/// <summary>
/// Same seed and thread count → the same metrics and parameters, bit for bit: the whole pipeline
/// (synthetic data, sampler, LightGCN forward/backward, Adam, evaluation) trained twice.
/// </summary>
[Collection("Parallelism")]
public class PipelineDeterminismTests
{
    static (TrainingResult Result, float[] Parameters) Train(ulong seed, int threads = 2)
    {
        int saved = Parallelism.Threads;
        Parallelism.Threads = threads;
        try
        {
            var data = SyntheticGenerator.Generate(SyntheticOptions.Tiny with { Seed = seed });
            var model = ModelCatalog.Create("lightgcn", data, new ModelSettings(), seed);
            var result = new Trainer(new TrainerOptions(Epochs: 3, Patience: 3, LearningRate: 0.01f, Seed: seed)).Train(model, data);
            return (result, model.Parameters.SelectMany(p => p.Value.Data).ToArray());
        }
        finally { Parallelism.Threads = saved; }
    }

    [Fact]
    public void Training_twice_with_the_same_seed_and_threads_gives_identical_bits()
    {
        var (first, firstParameters) = Train(7);
        var (second, secondParameters) = Train(7);
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
