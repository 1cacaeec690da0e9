using BenchmarkDotNet.Attributes;
using Crane.Numerics;

namespace Crane.Bench;

/// <summary>
/// SpMM on the Amazon Baby normalised adjacency (26,495 nodes) times a 26,495×64 matrix, in GB/s
/// against a multi-threaded memory copy measured in the same run.
/// Bytes counted per product: the CSR arrays once (RowPtr 4(n+1) + ColIdx 4·nnz + Values 4·nnz,
/// plus the cached transpose's Source map 4·nnz for Aᵀ·X), one X row per stored entry
/// (4·d·nnz) and Y written once (4·d·n). Copy counts 2× its buffer (read + write).
/// </summary>
[RequiresFile(BabyGraph.SharedPath)]
[Config(typeof(Config))]
public class SpMMBenchmarks
{
    const int D = 64;
    const int CopyFloats = 32 << 20; // 128 MiB per buffer: far beyond cache

    CsrMatrix _a = null!;
    Tensor _x = null!, _y = null!;
    float[] _src = null!, _dst = null!;

    sealed class Config : ShortConfig
    {
        public Config()
        {
            AddColumn(new ThroughputColumn("GB/s", BytesMoved), new ThroughputColumn("of copy", BytesMoved, nameof(Copy)));
        }
    }

    /// <summary>Bytes one call of the named benchmark moves (see the class summary).</summary>
    public static double BytesMoved(string method)
    {
        if (method == nameof(Copy)) return 2.0 * sizeof(float) * CopyFloats;
        var a = BabyGraph.Adjacency;
        double csr = 4.0 * (a.Rows + 1) + 8.0 * a.NonZeros + (method == nameof(SpMMTransposed) ? 4.0 * a.NonZeros : 0);
        return csr + 4.0 * D * a.NonZeros + 4.0 * D * a.Rows;
    }

    [GlobalSetup]
    public void Setup()
    {
        _a = BabyGraph.Adjacency;
        var rng = new Random(1);
        _x = new Tensor(_a.Cols, D);
        for (int i = 0; i < _x.Length; i++) _x.Data[i] = (float)rng.NextDouble() - 0.5f;
        _y = new Tensor(_a.Rows, D);
        _src = new float[CopyFloats];
        _dst = new float[CopyFloats];
        _src.AsSpan().Fill(1f);
        SpMM.MultiplyTransposed(_a, _x, _y); // builds the cached transpose outside the timing
        Console.WriteLine($"// Amazon Baby adjacency: {_a.Rows} nodes, {_a.NonZeros} non-zeros, d = {D}, {Parallelism.Threads} threads, {Simd.Width}");
    }

    [Benchmark]
    public void Copy() => Parallelism.ForBlocks(CopyFloats, CopyFloats / Parallelism.Threads,
        (s, e) => _src.AsSpan(s, e - s).CopyTo(_dst.AsSpan(s, e - s)));

    [Benchmark]
    public void SpMMForward() => SpMM.Multiply(_a, _x, _y);

    [Benchmark]
    public void SpMMTransposed() => SpMM.MultiplyTransposed(_a, _x, _y);
}
