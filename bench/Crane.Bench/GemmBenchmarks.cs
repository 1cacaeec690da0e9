using BenchmarkDotNet.Attributes;
using Crane.Numerics;

namespace Crane.Bench;

/// <summary>
/// Our GEMM against OpenBLAS (the baseline) on the three model shapes, same thread count.
/// For one table with GFLOP/s and the FMA peak, run `report gemm` instead.
/// </summary>
[ShortRunJob]
public class GemmBenchmarks
{
    Tensor _a = null!, _b = null!, _c = null!;

    public static IEnumerable<GemmReport.Shape> Shapes => GemmReport.Shapes;

    [ParamsSource(nameof(Shapes))]
    public GemmReport.Shape Shape { get; set; } = null!;

    [GlobalSetup]
    public void Setup()
    {
        (_a, _b, _c) = GemmReport.Operands(Shape);
        if (OpenBlas.Unavailable is { } why) Console.WriteLine($"SKIP OpenBLAS baseline: {why}");
        else OpenBlas.SetThreadCount(Parallelism.Threads);
    }

    [Benchmark(Baseline = true)]
    public void OpenBlasSgemm()
    {
        if (OpenBlas.Unavailable is null) OpenBlas.Multiply(_a, Shape.TransA, _b, Shape.TransB, _c);
    }

    [Benchmark]
    public void CraneGemm() => Gemm.Multiply(_a, Shape.TransA, _b, Shape.TransB, _c);
}
