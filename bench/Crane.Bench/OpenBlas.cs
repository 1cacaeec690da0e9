using System.Runtime.InteropServices;

namespace Crane.Bench;

/// <summary>
/// OpenBLAS's cblas_sgemm through P/Invoke, the reference our GEMM is measured against.
/// Loaded on demand so benchmarks still run (and say so) where the library is missing.
/// </summary>
internal static unsafe class OpenBlas
{
    const string Library = "libopenblas.so.0";
    const int RowMajor = 101, NoTrans = 111, Trans = 112;

    static readonly delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void> Sgemm;
    static readonly delegate* unmanaged<int, void> SetThreads;
    static readonly delegate* unmanaged<sbyte*> CoreName;

    /// <summary>Why the library could not be used, or null when it loaded.</summary>
    public static string? Unavailable { get; }

    static OpenBlas()
    {
        if (!NativeLibrary.TryLoad(Library, out var handle)
            || !NativeLibrary.TryGetExport(handle, "cblas_sgemm", out var sgemm)
            || !NativeLibrary.TryGetExport(handle, "openblas_set_num_threads", out var setThreads))
        {
            Unavailable = $"{Library} could not be loaded (install it with: apt-get install libopenblas0-pthread)";
            return;
        }
        Sgemm = (delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void>)sgemm;
        SetThreads = (delegate* unmanaged<int, void>)setThreads;
        if (NativeLibrary.TryGetExport(handle, "openblas_get_corename", out var coreName))
            CoreName = (delegate* unmanaged<sbyte*>)coreName;
    }

    /// <summary>The CPU kernel family OpenBLAS picked at run time (e.g. "Zen", "SkylakeX").</summary>
    public static string Core => CoreName == null ? "unknown" : new string(CoreName());

    public static void SetThreadCount(int threads) => SetThreads(threads);

    /// <summary>C = α·op(A)·op(B) + β·C, row-major, same contract as Gemm.Multiply(Tensor…).</summary>
    public static void Multiply(Tensor a, bool transA, Tensor b, bool transB, Tensor c, float alpha = 1f, float beta = 0f)
    {
        int m = c.Rows, n = c.Cols, k = transA ? a.Rows : a.Cols;
        fixed (float* pa = a.Data, pb = b.Data, pc = c.Data)
            Sgemm(RowMajor, transA ? Trans : NoTrans, transB ? Trans : NoTrans, m, n, k, alpha, pa, a.Cols, pb, b.Cols, beta, pc, n);
    }
}
