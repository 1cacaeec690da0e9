using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace Crane.Bench;

/// <summary>The benchmarks' common job: one launch, 3 warm-ups, 10 iterations (a few minutes in all).</summary>
public class ShortConfig : ManualConfig
{
    public ShortConfig() => AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(10));
}
