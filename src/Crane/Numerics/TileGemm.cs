using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Crane.Numerics;

/// <summary>
/// Small row-major products on spans with leading dimensions, for cache-sized tiles (attention
/// score tiles and their gradients). C = α·A·B (+ C): A is m×k, B is k×n, each C row is summed
/// over p in increasing order, so results do not depend on how callers split the work.
/// </summary>
internal static class TileGemm
{
    const int Lanes = 16, Rows = 4, Width = 4 * Lanes;

    public static void Multiply(ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        Span<float> c, int ldc, int m, int n, int k, float alpha, bool accumulate)
    {
        if (m <= 0 || n <= 0) return;
        if ((k > 0 && (a.Length < (m - 1) * lda + k || b.Length < (k - 1) * ldb + n)) || c.Length < (m - 1) * ldc + n)
            throw new ArgumentException("TileGemm: a span is shorter than its shape needs.");
        int i = 0, j = 0;
        if (Vector512.IsHardwareAccelerated && k > 0)
        {
            for (; i + Rows <= m; i += Rows)
                for (j = 0; j + Width <= n; j += Width)
                    Kernel4x64(ref Unsafe.AsRef(in a[i * lda]), lda, ref Unsafe.AsRef(in b[0]), j, ldb, ref c[i * ldc + j], ldc, k, alpha, accumulate);
            // The 4×64 blocks covered rows [0, i) up to column j; finish their right edge, then the remaining rows.
            if (i > 0) Axpy(a, lda, b, ldb, c, ldc, 0, i, j, n, k, alpha, accumulate);
        }
        Axpy(a, lda, b, ldb, c, ldc, i, m, 0, n, k, alpha, accumulate);
    }

    /// <summary>Rows [r0, r1), columns [j0, n) as row updates c_i += (α·a_ip)·b_p (vectorised by TensorPrimitives).</summary>
    static void Axpy(ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc,
        int r0, int r1, int j0, int n, int k, float alpha, bool accumulate)
    {
        if (j0 >= n) return;
        for (int i = r0; i < r1; i++)
        {
            var ci = c.Slice(i * ldc + j0, n - j0);
            if (!accumulate) ci.Clear();
            for (int p = 0; p < k; p++)
                TensorPrimitives.MultiplyAdd(b.Slice(p * ldb + j0, n - j0), alpha * a[i * lda + p], ci, ci);
        }
    }

    /// <summary>A 4×64 block of C held in 16 AVX-512 registers while p runs over k.</summary>
    static void Kernel4x64(ref float a, int lda, ref float b, int j, int ldb, ref float c, int ldc, int k, float alpha, bool accumulate)
    {
        Vector512<float> c00 = default, c01 = default, c02 = default, c03 = default;
        Vector512<float> c10 = default, c11 = default, c12 = default, c13 = default;
        Vector512<float> c20 = default, c21 = default, c22 = default, c23 = default;
        Vector512<float> c30 = default, c31 = default, c32 = default, c33 = default;
        ref float a1 = ref Unsafe.Add(ref a, lda), a2 = ref Unsafe.Add(ref a, 2 * lda), a3 = ref Unsafe.Add(ref a, 3 * lda);
        nuint bp = (nuint)j;
        for (int p = 0; p < k; p++, bp += (nuint)ldb)
        {
            var b0 = Vector512.LoadUnsafe(ref b, bp);
            var b1 = Vector512.LoadUnsafe(ref b, bp + Lanes);
            var b2 = Vector512.LoadUnsafe(ref b, bp + 2 * Lanes);
            var b3 = Vector512.LoadUnsafe(ref b, bp + 3 * Lanes);
            var x = Vector512.Create(Unsafe.Add(ref a, p));
            c00 = Vector512.FusedMultiplyAdd(x, b0, c00); c01 = Vector512.FusedMultiplyAdd(x, b1, c01);
            c02 = Vector512.FusedMultiplyAdd(x, b2, c02); c03 = Vector512.FusedMultiplyAdd(x, b3, c03);
            x = Vector512.Create(Unsafe.Add(ref a1, p));
            c10 = Vector512.FusedMultiplyAdd(x, b0, c10); c11 = Vector512.FusedMultiplyAdd(x, b1, c11);
            c12 = Vector512.FusedMultiplyAdd(x, b2, c12); c13 = Vector512.FusedMultiplyAdd(x, b3, c13);
            x = Vector512.Create(Unsafe.Add(ref a2, p));
            c20 = Vector512.FusedMultiplyAdd(x, b0, c20); c21 = Vector512.FusedMultiplyAdd(x, b1, c21);
            c22 = Vector512.FusedMultiplyAdd(x, b2, c22); c23 = Vector512.FusedMultiplyAdd(x, b3, c23);
            x = Vector512.Create(Unsafe.Add(ref a3, p));
            c30 = Vector512.FusedMultiplyAdd(x, b0, c30); c31 = Vector512.FusedMultiplyAdd(x, b1, c31);
            c32 = Vector512.FusedMultiplyAdd(x, b2, c32); c33 = Vector512.FusedMultiplyAdd(x, b3, c33);
        }
        StoreRow(ref c, c00, c01, c02, c03, alpha, accumulate);
        StoreRow(ref Unsafe.Add(ref c, ldc), c10, c11, c12, c13, alpha, accumulate);
        StoreRow(ref Unsafe.Add(ref c, 2 * ldc), c20, c21, c22, c23, alpha, accumulate);
        StoreRow(ref Unsafe.Add(ref c, 3 * ldc), c30, c31, c32, c33, alpha, accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void StoreRow(ref float c, Vector512<float> v0, Vector512<float> v1, Vector512<float> v2, Vector512<float> v3, float alpha, bool accumulate)
    {
        Store(ref c, 0, v0, alpha, accumulate);
        Store(ref c, Lanes, v1, alpha, accumulate);
        Store(ref c, 2 * Lanes, v2, alpha, accumulate);
        Store(ref c, 3 * Lanes, v3, alpha, accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Store(ref float c, nuint offset, Vector512<float> v, float alpha, bool accumulate)
    {
        v *= alpha;
        if (accumulate) v += Vector512.LoadUnsafe(ref c, offset);
        v.StoreUnsafe(ref c, offset);
    }
}
