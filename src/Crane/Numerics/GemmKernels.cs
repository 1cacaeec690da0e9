using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Crane.Numerics;

/// <summary>
/// One SIMD width as the micro-kernel sees it: load, broadcast, fused multiply-add, store, on the
/// raw vector types. Why not <see cref="IFloatVector{TSelf}"/> (SpMM, top-k, Adam): its wrapper
/// structs around 24 accumulators cost the kernel a third of its speed (148 → 98 GFLOP/s on
/// (7050×4096)·(4096×64), `report gemm`; docs/benchmarks.md), so the GEMM keeps the bare vectors.
/// </summary>
internal unsafe interface ISimdOps<TVec> where TVec : struct
{
    static abstract int Width { get; }
    static abstract TVec Load(float* p);
    static abstract TVec Broadcast(float x);
    static abstract TVec Fma(TVec x, TVec y, TVec acc);
    static abstract TVec Add(TVec x, TVec y);
    static abstract TVec Multiply(TVec x, TVec y);
    static abstract void Store(TVec v, float* p);
}

internal readonly unsafe struct Simd512 : ISimdOps<Vector512<float>>
{
    public static int Width => Vector512<float>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Load(float* p) => Vector512.Load(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Broadcast(float x) => Vector512.Create(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Fma(Vector512<float> x, Vector512<float> y, Vector512<float> acc) => Vector512.FusedMultiplyAdd(x, y, acc);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector512<float> v, float* p) => v.Store(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Add(Vector512<float> x, Vector512<float> y) => x + y;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Multiply(Vector512<float> x, Vector512<float> y) => x * y;
}

internal readonly unsafe struct Simd256 : ISimdOps<Vector256<float>>
{
    public static int Width => Vector256<float>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Load(float* p) => Vector256.Load(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Broadcast(float x) => Vector256.Create(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Fma(Vector256<float> x, Vector256<float> y, Vector256<float> acc) => Vector256.FusedMultiplyAdd(x, y, acc);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector256<float> v, float* p) => v.Store(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Add(Vector256<float> x, Vector256<float> y) => x + y;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Multiply(Vector256<float> x, Vector256<float> y) => x * y;
}

/// <summary>Width 1: the scalar fallback runs the same kernel on plain floats.</summary>
internal readonly unsafe struct SimdScalar : ISimdOps<float>
{
    public static int Width => 1;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Load(float* p) => *p;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Broadcast(float x) => x;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Fma(float x, float y, float acc) => MathF.FusedMultiplyAdd(x, y, acc);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(float v, float* p) => *p = v;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Add(float x, float y) => x + y;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Multiply(float x, float y) => x * y;
}

/// <summary>
/// What the micro-kernel does with its finished tile: store it raw (edge tiles, finished by the
/// driver), or write α·tile, add α·tile, or blend α·tile + β·C straight into C. Products are not
/// fused here, so a full tile and an edge tile finished elsewhere round alike.
/// </summary>
internal readonly struct TileStore(TileStore.Kind kind, float alpha, float beta)
{
    internal enum Kind { Raw, Overwrite, Accumulate, Blend }

    /// <summary>The store for one block of k: the first applies β (never reading C when β = 0), later ones add.</summary>
    public static TileStore For(bool firstBlock, float alpha, float beta) =>
        new(!firstBlock || beta == 1f ? Kind.Accumulate : beta == 0f ? Kind.Overwrite : Kind.Blend, alpha, beta);

    public static TileStore Raw => new(Kind.Raw, 1f, 0f);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public unsafe void Put<TOps, TVec>(TVec acc, float* dst) where TOps : struct, ISimdOps<TVec> where TVec : struct
    {
        switch (kind)
        {
            case Kind.Raw: TOps.Store(acc, dst); break;
            case Kind.Overwrite: TOps.Store(TOps.Multiply(acc, TOps.Broadcast(alpha)), dst); break;
            case Kind.Accumulate: TOps.Store(TOps.Add(TOps.Multiply(acc, TOps.Broadcast(alpha)), TOps.Load(dst)), dst); break;
            default: TOps.Store(TOps.Add(TOps.Multiply(acc, TOps.Broadcast(alpha)), TOps.Multiply(TOps.Load(dst), TOps.Broadcast(beta))), dst); break;
        }
    }
}

/// <summary>Rows a micro-kernel instantiation computes: the JIT folds the tests on it, so rows past it cost nothing.</summary>
internal interface IKernelRows
{
    static abstract int Count { get; }
}

/// <summary>The full micro-tile height.</summary>
internal readonly struct SixRows : IKernelRows { public static int Count => 6; }

/// <summary>A short edge panel (at most four rows, e.g. the last 4 of 64): a third less work than six.</summary>
internal readonly struct FourRows : IKernelRows { public static int Count => 4; }

/// <summary>
/// The register-blocked micro-kernel: an MR×NR tile of C held in registers (MR = 6 rows, NR = four
/// Vector512 or two Vector256/scalar lanes), fed per step of k by one row of a B sliver and MR
/// broadcasts of A. Edge panels of at most four rows run a four-row instantiation of the same loop.
/// Each tile element is a chain of fused multiply-adds in increasing k, whatever the width, so all
/// paths give the same bits.
/// </summary>
internal static unsafe class GemmKernels
{
    /// <summary>Rows of C per micro-tile.</summary>
    internal const int MR = 6;

    /// <summary>Columns of C per micro-tile for a path.</summary>
    internal static int Nr(SimdWidth path) => path switch
    {
        SimdWidth.Vector512 => 4 * Simd512.Width,
        SimdWidth.Vector256 => 2 * Simd256.Width,
        _ => 2 * SimdScalar.Width,
    };

    /// <summary>
    /// T = Σ_p A(r, p)·B[p, :] over p &lt; kc, where A(r, p) = a[r·rs + p·cs] for r &lt; mr (rows past mr
    /// repeat row mr−1 so nothing outside A is read) and B is a kc×NR sliver whose rows lie ldb
    /// apart (NR when packed); the first mr rows of the MR×NR tile T go to rows dst + r·ldd as
    /// <paramref name="store"/> says.
    /// </summary>
    internal static void Run(SimdWidth path, int kc, float* a, nint rs, nint cs, int mr, float* b, nint ldb, float* dst, nint ldd, TileStore store)
    {
        if (mr > FourRows.Count) Run<SixRows>(path, kc, a, rs, cs, mr, b, ldb, dst, ldd, store);
        else Run<FourRows>(path, kc, a, rs, cs, mr, b, ldb, dst, ldd, store);
    }

    static void Run<TRows>(SimdWidth path, int kc, float* a, nint rs, nint cs, int mr, float* b, nint ldb, float* dst, nint ldd, TileStore store)
        where TRows : struct, IKernelRows
    {
        switch (path)
        {
            case SimdWidth.Vector512: KernelX4<Simd512, Vector512<float>, TRows>(kc, a, rs, cs, mr, b, ldb, dst, ldd, store); break;
            case SimdWidth.Vector256: KernelX2<Simd256, Vector256<float>, TRows>(kc, a, rs, cs, mr, b, ldb, dst, ldd, store); break;
            default: KernelX2<SimdScalar, float, TRows>(kc, a, rs, cs, mr, b, ldb, dst, ldd, store); break;
        }
    }

    /// <summary>Row r of the A panel, or its last valid row when r ≥ mr (so edge panels read nothing outside A).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static float* Row(float* a, int r, nint rs, int mr) => a + Math.Min(r, mr - 1) * rs;

    /// <summary>Up to 6 rows × 2 vectors: 12 accumulators, which fit the 16 registers of AVX2 (and scalar x64).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void KernelX2<TOps, TVec, TRows>(int kc, float* a, nint rs, nint cs, int mr, float* b, nint ldb, float* dst, nint ldd, TileStore store)
        where TOps : struct, ISimdOps<TVec> where TVec : struct where TRows : struct, IKernelRows
    {
        int w = TOps.Width;
        bool six = TRows.Count > 4;
        float* a0 = a, a1 = Row(a, 1, rs, mr), a2 = Row(a, 2, rs, mr), a3 = Row(a, 3, rs, mr), a4 = Row(a, 4, rs, mr), a5 = Row(a, 5, rs, mr);
        TVec c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default,
             c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int p = 0; p < kc; p++)
        {
            TVec b0 = TOps.Load(b), b1 = TOps.Load(b + w), x;
            x = TOps.Broadcast(*a0); c00 = TOps.Fma(x, b0, c00); c01 = TOps.Fma(x, b1, c01);
            x = TOps.Broadcast(*a1); c10 = TOps.Fma(x, b0, c10); c11 = TOps.Fma(x, b1, c11);
            x = TOps.Broadcast(*a2); c20 = TOps.Fma(x, b0, c20); c21 = TOps.Fma(x, b1, c21);
            x = TOps.Broadcast(*a3); c30 = TOps.Fma(x, b0, c30); c31 = TOps.Fma(x, b1, c31);
            a0 += cs; a1 += cs; a2 += cs; a3 += cs;
            if (six)
            {
                x = TOps.Broadcast(*a4); c40 = TOps.Fma(x, b0, c40); c41 = TOps.Fma(x, b1, c41);
                x = TOps.Broadcast(*a5); c50 = TOps.Fma(x, b0, c50); c51 = TOps.Fma(x, b1, c51);
                a4 += cs; a5 += cs;
            }
            b += ldb;
        }
        Put2(c00, c01, dst, store);
        if (mr > 1) Put2(c10, c11, dst + ldd, store);
        if (mr > 2) Put2(c20, c21, dst + 2 * ldd, store);
        if (mr > 3) Put2(c30, c31, dst + 3 * ldd, store);
        if (six && mr > 4) Put2(c40, c41, dst + 4 * ldd, store);
        if (six && mr > 5) Put2(c50, c51, dst + 5 * ldd, store);

        static void Put2(TVec v0, TVec v1, float* d, TileStore store)
        {
            store.Put<TOps, TVec>(v0, d);
            store.Put<TOps, TVec>(v1, d + TOps.Width);
        }
    }

    /// <summary>Up to 6 rows × 4 vectors: 24 accumulators, for the 32 registers of AVX-512.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void KernelX4<TOps, TVec, TRows>(int kc, float* a, nint rs, nint cs, int mr, float* b, nint ldb, float* dst, nint ldd, TileStore store)
        where TOps : struct, ISimdOps<TVec> where TVec : struct where TRows : struct, IKernelRows
    {
        int w = TOps.Width;
        bool six = TRows.Count > 4;
        float* a0 = a, a1 = Row(a, 1, rs, mr), a2 = Row(a, 2, rs, mr), a3 = Row(a, 3, rs, mr), a4 = Row(a, 4, rs, mr), a5 = Row(a, 5, rs, mr);
        TVec c00 = default, c01 = default, c02 = default, c03 = default, c10 = default, c11 = default, c12 = default, c13 = default,
             c20 = default, c21 = default, c22 = default, c23 = default, c30 = default, c31 = default, c32 = default, c33 = default,
             c40 = default, c41 = default, c42 = default, c43 = default, c50 = default, c51 = default, c52 = default, c53 = default;
        for (int p = 0; p < kc; p++)
        {
            TVec b0 = TOps.Load(b), b1 = TOps.Load(b + w), b2 = TOps.Load(b + 2 * w), b3 = TOps.Load(b + 3 * w), x;
            x = TOps.Broadcast(*a0); c00 = TOps.Fma(x, b0, c00); c01 = TOps.Fma(x, b1, c01); c02 = TOps.Fma(x, b2, c02); c03 = TOps.Fma(x, b3, c03);
            x = TOps.Broadcast(*a1); c10 = TOps.Fma(x, b0, c10); c11 = TOps.Fma(x, b1, c11); c12 = TOps.Fma(x, b2, c12); c13 = TOps.Fma(x, b3, c13);
            x = TOps.Broadcast(*a2); c20 = TOps.Fma(x, b0, c20); c21 = TOps.Fma(x, b1, c21); c22 = TOps.Fma(x, b2, c22); c23 = TOps.Fma(x, b3, c23);
            x = TOps.Broadcast(*a3); c30 = TOps.Fma(x, b0, c30); c31 = TOps.Fma(x, b1, c31); c32 = TOps.Fma(x, b2, c32); c33 = TOps.Fma(x, b3, c33);
            a0 += cs; a1 += cs; a2 += cs; a3 += cs;
            if (six)
            {
                x = TOps.Broadcast(*a4); c40 = TOps.Fma(x, b0, c40); c41 = TOps.Fma(x, b1, c41); c42 = TOps.Fma(x, b2, c42); c43 = TOps.Fma(x, b3, c43);
                x = TOps.Broadcast(*a5); c50 = TOps.Fma(x, b0, c50); c51 = TOps.Fma(x, b1, c51); c52 = TOps.Fma(x, b2, c52); c53 = TOps.Fma(x, b3, c53);
                a4 += cs; a5 += cs;
            }
            b += ldb;
        }
        Put4(c00, c01, c02, c03, dst, store);
        if (mr > 1) Put4(c10, c11, c12, c13, dst + ldd, store);
        if (mr > 2) Put4(c20, c21, c22, c23, dst + 2 * ldd, store);
        if (mr > 3) Put4(c30, c31, c32, c33, dst + 3 * ldd, store);
        if (six && mr > 4) Put4(c40, c41, c42, c43, dst + 4 * ldd, store);
        if (six && mr > 5) Put4(c50, c51, c52, c53, dst + 5 * ldd, store);

        static void Put4(TVec v0, TVec v1, TVec v2, TVec v3, float* d, TileStore store)
        {
            int w = TOps.Width;
            store.Put<TOps, TVec>(v0, d);
            store.Put<TOps, TVec>(v1, d + w);
            store.Put<TOps, TVec>(v2, d + 2 * w);
            store.Put<TOps, TVec>(v3, d + 3 * w);
        }
    }
}
