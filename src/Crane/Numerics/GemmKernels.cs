using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Crane.Numerics;

/// <summary>Which register width the GEMM micro-kernel uses.</summary>
internal enum GemmPath { Scalar, Vector256, Vector512 }

/// <summary>One SIMD width as the micro-kernel sees it: load, broadcast, fused multiply-add, store.</summary>
internal unsafe interface ISimdOps<TVec> where TVec : struct
{
    static abstract int Width { get; }
    static abstract TVec Load(float* p);
    static abstract TVec Broadcast(float x);
    static abstract TVec Fma(TVec x, TVec y, TVec acc);
    static abstract void Store(TVec v, float* p);
}

internal readonly unsafe struct Simd512 : ISimdOps<Vector512<float>>
{
    public static int Width => Vector512<float>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Load(float* p) => Vector512.Load(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Broadcast(float x) => Vector512.Create(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Fma(Vector512<float> x, Vector512<float> y, Vector512<float> acc) => Vector512.FusedMultiplyAdd(x, y, acc);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector512<float> v, float* p) => v.Store(p);
}

internal readonly unsafe struct Simd256 : ISimdOps<Vector256<float>>
{
    public static int Width => Vector256<float>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Load(float* p) => Vector256.Load(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Broadcast(float x) => Vector256.Create(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Fma(Vector256<float> x, Vector256<float> y, Vector256<float> acc) => Vector256.FusedMultiplyAdd(x, y, acc);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector256<float> v, float* p) => v.Store(p);
}

/// <summary>Width 1: the scalar fallback runs the same kernel on plain floats.</summary>
internal readonly unsafe struct SimdScalar : ISimdOps<float>
{
    public static int Width => 1;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Load(float* p) => *p;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Broadcast(float x) => x;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Fma(float x, float y, float acc) => MathF.FusedMultiplyAdd(x, y, acc);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(float v, float* p) => *p = v;
}

/// <summary>
/// The register-blocked micro-kernel: an MR×NR tile of C held in registers (MR = 6 rows, NR = two
/// vectors), fed per step of k by one row of a packed B sliver and MR broadcasts of A.
/// Each tile element is a chain of fused multiply-adds in increasing k, whatever the width, so all
/// paths give the same bits.
/// </summary>
internal static unsafe class GemmKernels
{
    /// <summary>Rows of C per micro-tile.</summary>
    internal const int MR = 6;

    /// <summary>The widest path this machine accelerates.</summary>
    internal static GemmPath Best { get; } =
        Vector512.IsHardwareAccelerated ? GemmPath.Vector512
        : Vector256.IsHardwareAccelerated && (Fma.IsSupported || !X86Base.IsSupported) ? GemmPath.Vector256
        : GemmPath.Scalar;

    /// <summary>Columns of C per micro-tile (two vectors) for a path.</summary>
    internal static int Nr(GemmPath path) => 2 * path switch
    {
        GemmPath.Vector512 => Simd512.Width,
        GemmPath.Vector256 => Simd256.Width,
        _ => SimdScalar.Width,
    };

    /// <summary>
    /// tile[MR×NR] = Σ_p A(r, p)·B[p, :] over p &lt; kc, where A(r, p) = a[r·rs + p·cs] for r &lt; mr
    /// (rows past mr repeat row mr−1 so nothing outside A is read) and B is a packed kc×NR sliver.
    /// </summary>
    internal static void Run(GemmPath path, int kc, float* a, nint rs, nint cs, int mr, float* b, float* tile)
    {
        switch (path)
        {
            case GemmPath.Vector512: Kernel<Simd512, Vector512<float>>(kc, a, rs, cs, mr, b, tile); break;
            case GemmPath.Vector256: Kernel<Simd256, Vector256<float>>(kc, a, rs, cs, mr, b, tile); break;
            default: Kernel<SimdScalar, float>(kc, a, rs, cs, mr, b, tile); break;
        }
    }

    static void Kernel<TOps, TVec>(int kc, float* a, nint rs, nint cs, int mr, float* b, float* tile)
        where TOps : struct, ISimdOps<TVec> where TVec : struct
    {
        int w = TOps.Width;
        float* a0 = a, a1 = a + Math.Min(1, mr - 1) * rs, a2 = a + Math.Min(2, mr - 1) * rs,
               a3 = a + Math.Min(3, mr - 1) * rs, a4 = a + Math.Min(4, mr - 1) * rs, a5 = a + Math.Min(5, mr - 1) * rs;
        TVec c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default,
             c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int p = 0; p < kc; p++)
        {
            TVec b0 = TOps.Load(b), b1 = TOps.Load(b + w), x;
            x = TOps.Broadcast(*a0); c00 = TOps.Fma(x, b0, c00); c01 = TOps.Fma(x, b1, c01);
            x = TOps.Broadcast(*a1); c10 = TOps.Fma(x, b0, c10); c11 = TOps.Fma(x, b1, c11);
            x = TOps.Broadcast(*a2); c20 = TOps.Fma(x, b0, c20); c21 = TOps.Fma(x, b1, c21);
            x = TOps.Broadcast(*a3); c30 = TOps.Fma(x, b0, c30); c31 = TOps.Fma(x, b1, c31);
            x = TOps.Broadcast(*a4); c40 = TOps.Fma(x, b0, c40); c41 = TOps.Fma(x, b1, c41);
            x = TOps.Broadcast(*a5); c50 = TOps.Fma(x, b0, c50); c51 = TOps.Fma(x, b1, c51);
            a0 += cs; a1 += cs; a2 += cs; a3 += cs; a4 += cs; a5 += cs;
            b += 2 * w;
        }
        int nr = 2 * w;
        TOps.Store(c00, tile); TOps.Store(c01, tile + w); tile += nr;
        TOps.Store(c10, tile); TOps.Store(c11, tile + w); tile += nr;
        TOps.Store(c20, tile); TOps.Store(c21, tile + w); tile += nr;
        TOps.Store(c30, tile); TOps.Store(c31, tile + w); tile += nr;
        TOps.Store(c40, tile); TOps.Store(c41, tile + w); tile += nr;
        TOps.Store(c50, tile); TOps.Store(c51, tile + w);
    }
}
