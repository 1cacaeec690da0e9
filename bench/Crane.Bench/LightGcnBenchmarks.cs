using BenchmarkDotNet.Attributes;
using Crane.Models;
using Crane.Numerics;
using Crane.Optim;

namespace Crane.Bench;

/// <summary>
/// LightGCN (2 layers, d = 64) on Amazon Baby: one training step (full-graph propagation, loss,
/// backward, Adam) on a batch of 2048 triples, and the propagation before scoring. An epoch is
/// ⌈train / 2048⌉ steps plus the sampler's work.
/// </summary>
[RequiresFile(BabyGraph.SharedPath)]
[Config(typeof(ShortConfig))]
public class LightGcnBenchmarks
{
    const int BatchSize = 2048;

    Recommender _model = null!;
    Adam _adam = null!;
    TrainingBatch _batch = null!;

    [GlobalSetup]
    public void Setup()
    {
        var data = BabyGraph.Data;
        _model = ModelCatalog.Create(LightGcn.Name, data, new ModelSettings(), 999);
        _adam = new Adam(_model.Parameters);
        // Training pairs with uniform negatives (the sampler's collision check does not change the cost).
        var rng = Rng.ForStream(1, "bench");
        var (u, p, n) = (new int[BatchSize], new int[BatchSize], new int[BatchSize]);
        for (int k = 0; k < BatchSize; k++)
        {
            int e = rng.NextInt(data.Train.Count);
            (u[k], p[k], n[k]) = (data.Train.Users[e], data.Train.Items[e], rng.NextInt(data.ItemCount));
        }
        _batch = new TrainingBatch(u, p, n);
        int steps = (data.Train.Count + BatchSize - 1) / BatchSize;
        Console.WriteLine($"// Baby: {data.UserCount} users, {data.ItemCount} items, {data.Train.Count} training pairs ({steps} steps per epoch), {Parallelism.Threads} threads, {Simd.Width}");
    }

    [Benchmark]
    public void TrainingStep()
    {
        _adam.ZeroGrad();
        _model.Loss(_batch).Backward();
        _adam.Step();
    }

    [Benchmark]
    public Scorer CreateScorer() => _model.CreateScorer();
}
