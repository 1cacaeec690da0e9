using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Crane.Numerics;

/// <summary>
/// <see cref="BlockAttention"/>'s tile work for heads of exactly 16 columns (d = dv = 16, one
/// Vector512 per row: crane-released's 4 heads of 64). On 64×64 tiles with an inner size of 16 the
/// general path spends more time packing GEMM panels and calling per-row softmax helpers than
/// multiplying; here each score row (64 keys = 4 vectors, two query rows sharing every load of
/// Kᵀ) is computed, masked and max-reduced in registers, one TensorPrimitives.Exp call covers the
/// tile, and the products with V, dO, Q and K are broadcast-FMA loops over whole 16-wide rows. Same online softmax, same tile schedule, so memory stays
/// O((Nq + Nk)·d) and every output element has one writer in a fixed order (bit-identical for any
/// thread count); the bits differ from the general path's (other summation order).
/// </summary>
internal static class SmallHeadAttention
{
    /// <summary>The head size this path serves.</summary>
    public const int Width = 16;

    const int Block = BlockAttention.Block;

    /// <summary>
    /// Off only to time or test the general path on the same inputs; per thread (read on the
    /// thread that calls the attention), so it never changes another caller's path.
    /// </summary>
    internal static bool Enabled
    {
        get => !t_disabled;
        set => t_disabled = !value;
    }

    [ThreadStatic] static bool t_disabled;

    /// <summary>True when the inputs have 16-column heads and Vector512 is the kernel width in use.</summary>
    public static bool Applies(Tensor q, Tensor v) =>
        Enabled && q.Cols == Width && v.Cols == Width && Simd.Width == SimdWidth.Vector512;

    /// <summary>
    /// The forward pass for query rows [i0, i0 + nq): writes O and the log-sum-exp, walking every key
    /// block with the online softmax. <paramref name="kt"/> holds Kᵀ in 16×64 zero-padded panels.
    /// <paramref name="p"/> is a Block×Block scratch tile, <paramref name="rowMax"/> and
    /// <paramref name="rowSum"/> Block-long scratch rows.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ForwardRows(Tensor q, float[] kt, Tensor v, int keys, float scale, Tensor output, float[] lse,
        int i0, int nq, float[] p, float[] rowMax, float[] rowSum)
    {
        var o = output.Data.AsSpan(i0 * Width, nq * Width);
        o.Clear();
        rowMax.AsSpan(0, nq).Fill(float.NegativeInfinity);
        rowSum.AsSpan(0, nq).Clear();
        var correction = new float[Block];
        ref float qBase = ref q.Data[i0 * Width];
        ref float oBase = ref o[0];
        ref float pBase = ref p[0];
        var pTile = p.AsSpan(0, nq * Block);
        for (int j0 = 0; j0 < keys; j0 += Block)
        {
            int nk = Math.Min(Block, keys - j0);
            ref float panel = ref kt[j0 * Width];
            int r = 0;
            for (; r + 2 <= nq; r += 2)
            {
                var (max0, max1) = ScoreRows(ref Unsafe.Add(ref qBase, r * Width), Width, ref panel, scale, rowMax[r], rowMax[r + 1], true, nk, ref Unsafe.Add(ref pBase, r * Block));
                Rescale(r, max0);
                Rescale(r + 1, max1);
            }
            if (r < nq) Rescale(r, ScoreRow(ref Unsafe.Add(ref qBase, r * Width), ref panel, scale, rowMax[r], true, nk, ref Unsafe.Add(ref pBase, r * Block)));
            // One call per tile: TensorPrimitives' Exp is several times faster than Vector512.Exp.
            TensorPrimitives.Exp(pTile, pTile);
            TensorPrimitives.Exp(correction.AsSpan(0, nq), correction.AsSpan(0, nq));
            for (r = 0; r < nq; r++)
            {
                rowSum[r] = rowSum[r] * correction[r] + RowSum(ref Unsafe.Add(ref pBase, r * Block));
                ref float or = ref Unsafe.Add(ref oBase, r * Width);
                Vector512.StoreUnsafe(Vector512.LoadUnsafe(ref or) * Vector512.Create(correction[r]), ref or);
            }
            AccumulateRows(ref pBase, ref v.Data[j0 * Width], ref oBase, nq, nk, 1f);      // O += P·V
        }
        for (int r = 0; r < nq; r++)
        {
            ref float or = ref Unsafe.Add(ref oBase, r * Width);
            Vector512.StoreUnsafe(Vector512.LoadUnsafe(ref or) / Vector512.Create(rowSum[r]), ref or);
            lse[i0 + r] = rowMax[r] + MathF.Log(rowSum[r]);
        }

        // Online softmax: row r's scores were shifted by its new running max; what was summed so
        // far is rescaled by exp(old max − new max), exponentiated with the tile.
        void Rescale(int r, float max)
        {
            correction[r] = rowMax[r] - max;
            rowMax[r] = max;
        }
    }

    /// <summary>
    /// One backward tile: query rows [i0, i0 + nq) × key rows [j0, j0 + nk). Recomputes
    /// P = exp(scale·Q·Kᵀ − lse) and dS = P ∘ (dO·Vᵀ − D) into the scratch tiles, then adds
    /// dV += Pᵀ·dO, dK += scale·dSᵀ·Q and dQ += scale·dS·K (each skipped when null).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void BackwardTile(Tensor q, Tensor k, float[] kt, float[] vt, float scale, float[] lse, float[] dot,
        Tensor dO, Tensor? qGrad, Tensor? kGrad, Tensor? vGrad, int i0, int nq, int j0, int nk, float[] p, float[] ds)
    {
        bool scoreGrad = qGrad is not null || kGrad is not null;
        ref float qBase = ref q.Data[i0 * Width];
        ref float dOBase = ref dO.Data[i0 * Width];
        ref float kPanel = ref kt[j0 * Width];
        ref float pBase = ref p[0];
        ref float dsBase = ref ds[0];
        int r = 0;
        for (; r + 2 <= nq; r += 2)
            ScoreRows(ref Unsafe.Add(ref qBase, r * Width), Width, ref kPanel, scale, lse[i0 + r], lse[i0 + r + 1], false, nk, ref Unsafe.Add(ref pBase, r * Block));
        if (r < nq) ScoreRow(ref Unsafe.Add(ref qBase, r * Width), ref kPanel, scale, lse[i0 + r], false, nk, ref Unsafe.Add(ref pBase, r * Block));
        TensorPrimitives.Exp(p.AsSpan(0, nq * Block), p.AsSpan(0, nq * Block));
        if (scoreGrad)
        {
            ref float vPanel = ref vt[j0 * Width];
            for (r = 0; r + 2 <= nq; r += 2)
                ScoreRows(ref Unsafe.Add(ref dOBase, r * Width), Width, ref vPanel, 1f, dot[i0 + r], dot[i0 + r + 1], false, Block, ref Unsafe.Add(ref dsBase, r * Block));   // dP − D
            if (r < nq) ScoreRow(ref Unsafe.Add(ref dOBase, r * Width), ref vPanel, 1f, dot[i0 + r], false, Block, ref Unsafe.Add(ref dsBase, r * Block));
            // dS = P ∘ (dP − D); padding keys have P = 0.
            var pTile = p.AsSpan(0, nq * Block);
            TensorPrimitives.Multiply(pTile, ds.AsSpan(0, nq * Block), ds.AsSpan(0, nq * Block));
        }
        if (vGrad is not null) AccumulateColumns(ref pBase, ref dOBase, ref vGrad.Data[j0 * Width], nq, nk, 1f);
        if (kGrad is not null) AccumulateColumns(ref dsBase, ref qBase, ref kGrad.Data[j0 * Width], nq, nk, scale);
        if (qGrad is not null) AccumulateRows(ref dsBase, ref k.Data[j0 * Width], ref qGrad.Data[i0 * Width], nq, nk, scale);
    }

    /// <summary>
    /// Writes α·(x_r·Kᵀ) − shift_r for two 16-wide rows x_0, x_1 (<paramref name="x"/>, the next
    /// one <paramref name="stride"/> floats on) against a 16×64 panel of Kᵀ into two 64-wide tile
    /// rows, −∞ at keys ≥ <paramref name="valid"/> (so their weight is exp(−∞) = 0), and returns
    /// the shifts used. With <paramref name="atLeastRowMax"/> a row's shift is raised to the row's
    /// max (the online softmax's running max). Two rows share every panel load; the eight
    /// accumulators stay in registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static (float Shift0, float Shift1) ScoreRows(ref float x, int stride, ref float panel, float alpha, float shift0, float shift1, bool atLeastRowMax, int valid, ref float destination)
    {
        Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default;
        Vector512<float> t0 = default, t1 = default, t2 = default, t3 = default;
        for (int c = 0; c < Width; c++)
        {
            var xc = Vector512.Create(Unsafe.Add(ref x, c));
            var yc = Vector512.Create(Unsafe.Add(ref x, stride + c));
            ref float row = ref Unsafe.Add(ref panel, c * Block);
            var k0 = Vector512.LoadUnsafe(ref row);
            var k1 = Vector512.LoadUnsafe(ref row, 16);
            var k2 = Vector512.LoadUnsafe(ref row, 32);
            var k3 = Vector512.LoadUnsafe(ref row, 48);
            s0 = Vector512.FusedMultiplyAdd(xc, k0, s0);
            s1 = Vector512.FusedMultiplyAdd(xc, k1, s1);
            s2 = Vector512.FusedMultiplyAdd(xc, k2, s2);
            s3 = Vector512.FusedMultiplyAdd(xc, k3, s3);
            t0 = Vector512.FusedMultiplyAdd(yc, k0, t0);
            t1 = Vector512.FusedMultiplyAdd(yc, k1, t1);
            t2 = Vector512.FusedMultiplyAdd(yc, k2, t2);
            t3 = Vector512.FusedMultiplyAdd(yc, k3, t3);
        }
        var a = Vector512.Create(alpha);
        return (Finish(s0 * a, s1 * a, s2 * a, s3 * a, shift0, atLeastRowMax, valid, ref destination),
                Finish(t0 * a, t1 * a, t2 * a, t3 * a, shift1, atLeastRowMax, valid, ref Unsafe.Add(ref destination, Block)));
    }

    /// <summary><see cref="ScoreRows"/> for one row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static float ScoreRow(ref float x, ref float panel, float alpha, float shift, bool atLeastRowMax, int valid, ref float destination)
    {
        Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default;
        for (int c = 0; c < Width; c++)
        {
            var xc = Vector512.Create(Unsafe.Add(ref x, c));
            ref float row = ref Unsafe.Add(ref panel, c * Block);
            s0 = Vector512.FusedMultiplyAdd(xc, Vector512.LoadUnsafe(ref row), s0);
            s1 = Vector512.FusedMultiplyAdd(xc, Vector512.LoadUnsafe(ref row, 16), s1);
            s2 = Vector512.FusedMultiplyAdd(xc, Vector512.LoadUnsafe(ref row, 32), s2);
            s3 = Vector512.FusedMultiplyAdd(xc, Vector512.LoadUnsafe(ref row, 48), s3);
        }
        var a = Vector512.Create(alpha);
        return Finish(s0 * a, s1 * a, s2 * a, s3 * a, shift, atLeastRowMax, valid, ref destination);
    }

    /// <summary>
    /// Masks keys ≥ <paramref name="valid"/> to −∞, raises the shift to the row's max when asked,
    /// stores the shifted 64-wide row and returns the shift used.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static float Finish(Vector512<float> s0, Vector512<float> s1, Vector512<float> s2, Vector512<float> s3, float shift, bool atLeastRowMax, int valid, ref float destination)
    {
        if (valid < Block)
        {
            var lanes = Vector512.Create(0f, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
            var minusInf = Vector512.Create(float.NegativeInfinity);
            s0 = Vector512.ConditionalSelect(Vector512.LessThan(lanes, Vector512.Create((float)valid)), s0, minusInf);
            s1 = Vector512.ConditionalSelect(Vector512.LessThan(lanes, Vector512.Create(valid - 16f)), s1, minusInf);
            s2 = Vector512.ConditionalSelect(Vector512.LessThan(lanes, Vector512.Create(valid - 32f)), s2, minusInf);
            s3 = Vector512.ConditionalSelect(Vector512.LessThan(lanes, Vector512.Create(valid - 48f)), s3, minusInf);
        }
        if (atLeastRowMax)
        {
            var m = Vector512.MaxNative(Vector512.MaxNative(s0, s1), Vector512.MaxNative(s2, s3));
            var m256 = Vector256.MaxNative(m.GetLower(), m.GetUpper());
            var m128 = Vector128.MaxNative(m256.GetLower(), m256.GetUpper());
            for (int i = 0; i < 4; i++) shift = m128.GetElement(i) > shift ? m128.GetElement(i) : shift;
        }
        var b = Vector512.Create(shift);
        Vector512.StoreUnsafe(s0 - b, ref destination);
        Vector512.StoreUnsafe(s1 - b, ref destination, 16);
        Vector512.StoreUnsafe(s2 - b, ref destination, 32);
        Vector512.StoreUnsafe(s3 - b, ref destination, 48);
        return shift;
    }

    /// <summary>
    /// C_r += α·Σ_j T[r, j]·B_j for r &lt; rows, j &lt; cols: T a Block-wide tile, B and C 16-wide
    /// rows. Four rows at a time, so four FMA chains share each load of B_j.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void AccumulateRows(ref float tile, ref float b, ref float c, int rows, int cols, float alpha)
    {
        var a = Vector512.Create(alpha);
        int r = 0;
        for (; r + 4 <= rows; r += 4)
        {
            ref float t = ref Unsafe.Add(ref tile, r * Block);
            Vector512<float> acc0 = default, acc1 = default, acc2 = default, acc3 = default;
            for (int j = 0; j < cols; j++)
            {
                var bj = Vector512.LoadUnsafe(ref b, (nuint)(j * Width));
                acc0 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref t, j)), bj, acc0);
                acc1 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref t, Block + j)), bj, acc1);
                acc2 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref t, 2 * Block + j)), bj, acc2);
                acc3 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref t, 3 * Block + j)), bj, acc3);
            }
            AddScaled(ref Unsafe.Add(ref c, r * Width), acc0, a);
            AddScaled(ref Unsafe.Add(ref c, (r + 1) * Width), acc1, a);
            AddScaled(ref Unsafe.Add(ref c, (r + 2) * Width), acc2, a);
            AddScaled(ref Unsafe.Add(ref c, (r + 3) * Width), acc3, a);
        }
        for (; r < rows; r++)
        {
            ref float t = ref Unsafe.Add(ref tile, r * Block);
            Vector512<float> acc = default;
            for (int j = 0; j < cols; j++)
                acc = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref t, j)), Vector512.LoadUnsafe(ref b, (nuint)(j * Width)), acc);
            AddScaled(ref Unsafe.Add(ref c, r * Width), acc, a);
        }
    }

    /// <summary>
    /// C_j += α·Σ_r T[r, j]·B_r for j &lt; cols, r &lt; rows (the transposed tile times 16-wide rows B).
    /// Four columns at a time, so four FMA chains share each load of B_r.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void AccumulateColumns(ref float tile, ref float b, ref float c, int rows, int cols, float alpha)
    {
        var a = Vector512.Create(alpha);
        int j = 0;
        for (; j + 4 <= cols; j += 4)
        {
            Vector512<float> acc0 = default, acc1 = default, acc2 = default, acc3 = default;
            for (int r = 0; r < rows; r++)
            {
                var br = Vector512.LoadUnsafe(ref b, (nuint)(r * Width));
                ref float t = ref Unsafe.Add(ref tile, r * Block + j);
                acc0 = Vector512.FusedMultiplyAdd(Vector512.Create(t), br, acc0);
                acc1 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref t, 1)), br, acc1);
                acc2 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref t, 2)), br, acc2);
                acc3 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref t, 3)), br, acc3);
            }
            AddScaled(ref Unsafe.Add(ref c, j * Width), acc0, a);
            AddScaled(ref Unsafe.Add(ref c, (j + 1) * Width), acc1, a);
            AddScaled(ref Unsafe.Add(ref c, (j + 2) * Width), acc2, a);
            AddScaled(ref Unsafe.Add(ref c, (j + 3) * Width), acc3, a);
        }
        for (; j < cols; j++)
        {
            Vector512<float> acc = default;
            for (int r = 0; r < rows; r++)
                acc = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref tile, r * Block + j)), Vector512.LoadUnsafe(ref b, (nuint)(r * Width)), acc);
            AddScaled(ref Unsafe.Add(ref c, j * Width), acc, a);
        }
    }

    /// <summary>c += α·x (one rounding).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void AddScaled(ref float c, Vector512<float> x, Vector512<float> alpha) =>
        Vector512.StoreUnsafe(Vector512.FusedMultiplyAdd(x, alpha, Vector512.LoadUnsafe(ref c)), ref c);

    /// <summary>The sum of a 64-wide tile row (padding lanes hold exp(−∞) = 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static float RowSum(ref float row) =>
        Vector512.Sum((Vector512.LoadUnsafe(ref row) + Vector512.LoadUnsafe(ref row, 16)) + (Vector512.LoadUnsafe(ref row, 32) + Vector512.LoadUnsafe(ref row, 48)));
}
