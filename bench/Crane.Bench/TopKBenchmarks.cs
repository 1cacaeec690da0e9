using BenchmarkDotNet.Attributes;
using Crane.Numerics;

namespace Crane.Bench;

/// <summary>
/// Top-50 of 7,050 item scores for 4,096 users: the heap kernel against a full Array.Sort of
/// each row (the baseline), both parallel over rows with the same thread count.
/// </summary>
[Config(typeof(ShortConfig))]
public class TopKBenchmarks
{
    const int Users = 4096, Items = 7050, K = 50;

    Tensor _scores = null!;
    readonly int[] _indices = new int[Users * K];
    readonly float[] _values = new float[Users * K];

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(2);
        _scores = new Tensor(Users, Items);
        for (int i = 0; i < _scores.Length; i++) _scores.Data[i] = (float)rng.NextDouble();
    }

    [Benchmark(Baseline = true)]
    public void FullSort() => Parallelism.ForBlocks(Users, 1, (r0, r1) =>
    {
        var keys = new float[Items];
        var order = new int[Items];
        for (int r = r0; r < r1; r++)
        {
            var row = _scores.Row(r);
            for (int j = 0; j < Items; j++) { keys[j] = -row[j]; order[j] = j; }
            Array.Sort(keys, order);
            for (int j = 0; j < K; j++) { _indices[r * K + j] = order[j]; _values[r * K + j] = -keys[j]; }
        }
    });

    [Benchmark]
    public void HeapTopK() => TopK.PerRow(_scores, K, _indices, _values);
}
