using System.Buffers;
using System.Numerics.Tensors;

namespace Crane.Numerics;

/// <summary>
/// Row-wise kernels on dense tensors (each row independent; parallel over rows; vector maths by
/// TensorPrimitives). A row is always computed by one thread, so results do not depend on the
/// thread count.
/// </summary>
public static class RowOps
{
    // Rows are handed out in blocks of about this many elements.
    const int MinBlockElements = 16384;

    /// <summary>
    /// y[r] = softmax(x[r]). x and y may be the same tensor. −∞ entries get probability 0; a row
    /// that is entirely −∞ (everything masked) becomes all zeros rather than NaN.
    /// </summary>
    public static void Softmax(Tensor x, Tensor y)
    {
        RequireSameShape(x, y);
        ForRows(x, (r, _) =>
        {
            var xr = x.Row(r); var yr = y.Row(r);
            float max = TensorPrimitives.Max(xr);
            if (max == float.NegativeInfinity) { yr.Clear(); return; }
            TensorPrimitives.Subtract(xr, max, yr);
            TensorPrimitives.Exp(yr, yr);
            TensorPrimitives.Divide(yr, TensorPrimitives.Sum(yr), yr);
        });
    }

    /// <summary>
    /// y[r] = log softmax(x[r]). x and y may be the same tensor. A row that is entirely −∞ stays
    /// −∞ (log of the all-zero <see cref="Softmax"/>).
    /// </summary>
    public static void LogSoftmax(Tensor x, Tensor y)
    {
        RequireSameShape(x, y);
        ForRows(x, (r, scratch) =>
        {
            var xr = x.Row(r); var yr = y.Row(r);
            float max = TensorPrimitives.Max(xr);
            if (max == float.NegativeInfinity) { yr.Fill(float.NegativeInfinity); return; }
            TensorPrimitives.Subtract(xr, max, yr);
            var e = scratch[..yr.Length];
            TensorPrimitives.Exp(yr, e);
            TensorPrimitives.Subtract(yr, MathF.Log(TensorPrimitives.Sum(e)), yr);
        }, scratchPerRow: true);
    }

    /// <summary>
    /// y[r] = x[r] / max(‖x[r]‖₂, eps); writes each row's norm (before the clamp) into
    /// <paramref name="norms"/> (at least Rows long) when given.
    /// </summary>
    public static void L2Normalize(Tensor x, Tensor y, float eps = 1e-12f, Span<float> norms = default)
    {
        RequireSameShape(x, y);
        if (!norms.IsEmpty && norms.Length < x.Rows) throw new ArgumentException($"norms has {norms.Length} entries, fewer than the {x.Rows} rows.", nameof(norms));
        var n = norms.IsEmpty ? null : ArrayPool<float>.Shared.Rent(x.Rows);
        if (n is not null) Array.Clear(n, 0, x.Rows); // rows of zero length keep norm 0
        ForRows(x, (r, _) =>
        {
            var xr = x.Row(r);
            float norm = TensorPrimitives.Norm(xr);
            // Squares overflow above ~1e19 and lose precision below ~1e-19 in float: redo in double.
            if (norm is < 1e-18f or float.PositiveInfinity) norm = NormInDouble(xr);
            if (n is not null) n[r] = norm;
            TensorPrimitives.Multiply(xr, 1f / MathF.Max(norm, eps), y.Row(r));
        });
        if (n is not null)
        {
            n.AsSpan(0, x.Rows).CopyTo(norms[..x.Rows]);
            ArrayPool<float>.Shared.Return(n);
        }
    }

    /// <summary>
    /// y[r] = (x[r] − mean) / sqrt(var + eps) (no gain or bias; biased variance as in PyTorch);
    /// writes each row's mean and 1/sqrt(var + eps) when spans are given.
    /// </summary>
    public static void LayerNorm(Tensor x, Tensor y, float eps = 1e-5f, Span<float> means = default, Span<float> inverseStd = default)
    {
        RequireSameShape(x, y);
        if (!means.IsEmpty && means.Length < x.Rows) throw new ArgumentException($"means has {means.Length} entries, fewer than the {x.Rows} rows.", nameof(means));
        if (!inverseStd.IsEmpty && inverseStd.Length < x.Rows) throw new ArgumentException($"inverseStd has {inverseStd.Length} entries, fewer than the {x.Rows} rows.", nameof(inverseStd));
        var stats = ArrayPool<float>.Shared.Rent(2 * x.Rows);
        Array.Clear(stats, 0, 2 * x.Rows);
        ForRows(x, (r, _) =>
        {
            var xr = x.Row(r); var yr = y.Row(r);
            float mean = TensorPrimitives.Sum(xr) / xr.Length;
            TensorPrimitives.Subtract(xr, mean, yr);
            // Two passes (centre, then square) avoid the cancellation of E[x²] − E[x]².
            float istd = 1f / MathF.Sqrt(TensorPrimitives.SumOfSquares(yr) / yr.Length + eps);
            TensorPrimitives.Multiply(yr, istd, yr);
            stats[2 * r] = mean; stats[2 * r + 1] = istd;
        });
        for (int r = 0; r < x.Rows; r++)
        {
            if (!means.IsEmpty) means[r] = stats[2 * r];
            if (!inverseStd.IsEmpty) inverseStd[r] = stats[2 * r + 1];
        }
        ArrayPool<float>.Shared.Return(stats);
    }

    /// <summary>y[i] = x[index[i]] (row gather; y has index.Length rows).</summary>
    public static void GatherRows(Tensor x, ReadOnlySpan<int> index, Tensor y)
    {
        if (y.Rows != index.Length || y.Cols != x.Cols)
            throw new ArgumentException($"Gather of {index.Length} rows of {x.ShapeText} into {y.ShapeText}.");
        CheckIndices(index, x.Rows);
        var idx = ArrayPool<int>.Shared.Rent(index.Length);
        index.CopyTo(idx);
        ForRows(y, (i, _) => x.Row(idx[i]).CopyTo(y.Row(i)));
        ArrayPool<int>.Shared.Return(idx);
    }

    /// <summary>
    /// y[index[i]] += x[i] (row scatter-add). Deterministic: every destination row receives its
    /// sources in increasing i, as a sequential loop would, whatever the thread count.
    /// </summary>
    /// <remarks>
    /// Parallel over destination rows rather than source rows, so no two threads write one row
    /// (no atomics, no per-thread partial sums): a stable counting sort groups sources by destination.
    /// </remarks>
    public static void ScatterAddRows(Tensor x, ReadOnlySpan<int> index, Tensor y)
    {
        if (x.Rows != index.Length || y.Cols != x.Cols)
            throw new ArgumentException($"Scatter-add of {x.ShapeText} by {index.Length} indices into {y.ShapeText}.");
        CheckIndices(index, y.Rows);
        if ((long)index.Length * x.Cols < MinBlockElements || Parallelism.Threads == 1)
        {
            for (int i = 0; i < index.Length; i++) TensorPrimitives.Add(y.Row(index[i]), x.Row(i), y.Row(index[i]));
            return;
        }
        var pool = ArrayPool<int>.Shared;
        var start = pool.Rent(y.Rows + 1);
        var order = pool.Rent(index.Length);
        Array.Clear(start, 0, y.Rows + 1);
        foreach (int d in index) start[d + 1]++;
        for (int d = 0; d < y.Rows; d++) start[d + 1] += start[d];
        var next = pool.Rent(y.Rows);
        Array.Copy(start, next, y.Rows);
        for (int i = 0; i < index.Length; i++) order[next[index[i]]++] = i;
        pool.Return(next);
        Parallelism.ForBlocks(y.Rows, Math.Max(1, MinBlockElements / Math.Max(1, y.Cols)), (d0, d1) =>
        {
            for (int d = d0; d < d1; d++)
                for (int p = start[d]; p < start[d + 1]; p++)
                    TensorPrimitives.Add(y.Row(d), x.Row(order[p]), y.Row(d));
        });
        pool.Return(start);
        pool.Return(order);
    }

    /// <summary>Runs body(row, scratch) for every row of t, in row blocks across threads; scratch holds Cols floats when asked for.</summary>
    static void ForRows(Tensor t, RowBody body, bool scratchPerRow = false)
    {
        if (t.Cols == 0) return;
        Parallelism.ForBlocks(t.Rows, Math.Max(1, MinBlockElements / t.Cols), (r0, r1) =>
        {
            var scratch = scratchPerRow ? ArrayPool<float>.Shared.Rent(t.Cols) : null;
            for (int r = r0; r < r1; r++) body(r, scratch);
            if (scratch is not null) ArrayPool<float>.Shared.Return(scratch);
        });
    }

    delegate void RowBody(int row, Span<float> scratch);

    static float NormInDouble(ReadOnlySpan<float> x)
    {
        double s = 0;
        foreach (float v in x) s += (double)v * v;
        return (float)Math.Sqrt(s);
    }

    static void RequireSameShape(Tensor x, Tensor y)
    {
        if (!x.SameShape(y)) throw new ArgumentException($"Row op shape mismatch: x {x.ShapeText}, y {y.ShapeText}.");
    }

    static void CheckIndices(ReadOnlySpan<int> index, int rows)
    {
        for (int i = 0; i < index.Length; i++)
            if ((uint)index[i] >= (uint)rows)
                throw new ArgumentOutOfRangeException(nameof(index), $"Row index {index[i]} at position {i} is outside [0, {rows}).");
    }
}
