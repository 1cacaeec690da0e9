using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Crane.Numerics;

/// <summary>
/// Sparse × dense products: Y = A·X and Y = Aᵀ·X for CSR A. Each output row is one chain of
/// fused multiply-adds over its stored entries in column order, written by one thread, so the
/// result is bit-identical for any thread count and any vector width.
/// </summary>
public static class SpMM
{
    // Below this many multiply-adds a product runs on the calling thread.
    const long MinParallelWork = 1 << 15;

    /// <summary>Y = A·X (A: m×n CSR, X: n×d, Y: m×d; Y is overwritten).</summary>
    public static void Multiply(CsrMatrix a, Tensor x, Tensor y)
    {
        if (x.Rows != a.Cols || y.Rows != a.Rows || y.Cols != x.Cols)
            throw new ArgumentException($"SpMM shape mismatch: A {a.Rows}×{a.Cols}, X {x.ShapeText}, Y {y.ShapeText}.");
        Run(a.RowPtr, a.ColIdx, a.Values, null, x, y);
    }

    /// <summary>Y = Aᵀ·X (A: m×n CSR, X: m×d, Y: n×d; Y is overwritten).</summary>
    /// <remarks>
    /// Scattering A's rows into Y would need atomics or per-thread copies of Y. Instead Aᵀ's
    /// structure is built once by counting sort and cached on A (with, per entry, where its value
    /// lives in A, so changed values are seen); then Aᵀ·X is a plain row-parallel gather like A·X.
    /// </remarks>
    public static void MultiplyTransposed(CsrMatrix a, Tensor x, Tensor y)
    {
        if (x.Rows != a.Rows || y.Rows != a.Cols || y.Cols != x.Cols)
            throw new ArgumentException($"SpMMᵀ shape mismatch: A {a.Rows}×{a.Cols} (used as Aᵀ), X {x.ShapeText}, Y {y.ShapeText}.");
        var t = a.TransposeStructure;
        Run(t.RowPtr, t.ColIdx, a.Values, t.Source, x, y);
    }

    /// <summary>
    /// Y += scale·(A·X), or Y += scale·(Aᵀ·X) when <paramref name="transposed"/>, without a
    /// temporary for the product: each element is rounded as (A·X)·scale, then added to Y, so
    /// the bits are those of the product followed by <c>TensorPrimitives.MultiplyAdd</c>.
    /// </summary>
    internal static void MultiplyAccumulate(CsrMatrix a, Tensor x, float scale, Tensor y, bool transposed = false)
    {
        int inRows = transposed ? a.Rows : a.Cols, outRows = transposed ? a.Cols : a.Rows;
        if (x.Rows != inRows || y.Rows != outRows || y.Cols != x.Cols)
            throw new ArgumentException($"SpMM accumulate shape mismatch: A {a.Rows}×{a.Cols}{(transposed ? " (used as Aᵀ)" : "")}, X {x.ShapeText}, Y {y.ShapeText}.");
        if (!transposed) Run(new Operand(a.RowPtr, a.ColIdx, a.Values, null, null, a.RowPtr), x, y, scale);
        else
        {
            var t = a.TransposeStructure;
            Run(new Operand(t.RowPtr, t.ColIdx, a.Values, t.Source, null, t.RowPtr), x, y, scale);
        }
    }

    /// <summary>
    /// Y = (A·X)[rows]: row k of Y is row rows[k] of A·X (Y: rows.Length × d), without computing
    /// the other rows, with the same bits as the full product's rows.
    /// </summary>
    public static void MultiplyRows(CsrMatrix a, int[] rows, Tensor x, Tensor y)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (x.Rows != a.Cols || y.Rows != rows.Length || y.Cols != x.Cols)
            throw new ArgumentException($"SpMM row-subset shape mismatch: A {a.Rows}×{a.Cols}, {rows.Length} rows, X {x.ShapeText}, Y {y.ShapeText}.");
        // cost[k] = where row k's entries would start if the chosen rows were stacked: balances the blocks.
        var cost = new int[rows.Length + 1];
        for (int k = 0; k < rows.Length; k++)
        {
            int r = rows[k];
            if ((uint)r >= (uint)a.Rows) throw new ArgumentOutOfRangeException(nameof(rows), $"Row {r} is outside A's {a.Rows} rows.");
            cost[k + 1] = cost[k] + a.RowPtr[r + 1] - a.RowPtr[r];
        }
        Run(new Operand(a.RowPtr, a.ColIdx, a.Values, null, rows, cost), x, y);
    }

    /// <summary>
    /// Y = Aᵀ·X̃ where X̃ is zero except row rows[k] = x[k] (x: rows.Length × d, Y: A.Cols × d,
    /// overwritten): the transposed product of a gradient that is non-zero only on a few rows,
    /// at the cost of those rows' entries. With <paramref name="rows"/> strictly ascending each
    /// output row sums its terms in the order the full <see cref="MultiplyTransposed"/> does,
    /// so the bits are the full product's (the skipped terms are exact zeros).
    /// </summary>
    public static void MultiplyTransposedFromRows(CsrMatrix a, int[] rows, Tensor x, Tensor y)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (x.Rows != rows.Length || y.Rows != a.Cols || y.Cols != x.Cols)
            throw new ArgumentException($"SpMMᵀ row-subset shape mismatch: A {a.Rows}×{a.Cols} (used as Aᵀ), {rows.Length} rows, X {x.ShapeText}, Y {y.ShapeText}.");
        for (int k = 0; k < rows.Length; k++)
            if ((uint)rows[k] >= (uint)a.Rows || (k > 0 && rows[k] <= rows[k - 1]))
                throw new ArgumentException($"Rows must be strictly ascending and inside A's {a.Rows} rows; row {rows[k]} at position {k} is not.", nameof(rows));
        // Aᵀ restricted to the columns `rows` (= A's rows `rows`, transposed) by a stable counting
        // sort: entry (r, c) of A's row r = rows[k] becomes entry (c, k), with its value's position.
        var rowPtr = new int[a.Cols + 1];
        foreach (int r in rows)
            for (int p = a.RowPtr[r]; p < a.RowPtr[r + 1]; p++) rowPtr[a.ColIdx[p] + 1]++;
        for (int c = 0; c < a.Cols; c++) rowPtr[c + 1] += rowPtr[c];
        var next = rowPtr.AsSpan(0, a.Cols).ToArray();
        var colIdx = new int[rowPtr[a.Cols]];
        var source = new int[colIdx.Length];
        for (int k = 0; k < rows.Length; k++)
            for (int p = a.RowPtr[rows[k]]; p < a.RowPtr[rows[k] + 1]; p++)
            {
                int q = next[a.ColIdx[p]]++;
                colIdx[q] = k;
                source[q] = p;
            }
        Run(new Operand(rowPtr, colIdx, a.Values, source, null, rowPtr), x, y);
    }

    /// <summary>
    /// A sparse operand S in CSR form: entry p's value is values[source?[p] ?? p]; output row k
    /// reads S's row rowMap?[k] ?? k; cost is a CSR-like prefix of the output rows' entry counts.
    /// </summary>
    readonly record struct Operand(int[] RowPtr, int[] ColIdx, float[] Values, int[]? Source, int[]? RowMap, int[] Cost)
    {
        public int Count => Cost.Length - 1;
    }

    static void Run(int[] rowPtr, int[] colIdx, float[] values, int[]? source, Tensor x, Tensor y) =>
        Run(new Operand(rowPtr, colIdx, values, source, null, rowPtr), x, y);

    /// <summary>
    /// Y = S·X (or Y += accumulate·(S·X)), one output row per thread, rows cut into blocks of
    /// about equal cost.
    /// </summary>
    static void Run(Operand s, Tensor x, Tensor y, float? accumulate = null)
    {
        int rows = s.Count, d = x.Cols;
        if (rows == 0 || d == 0) return;
        long work = (long)(s.Cost[rows] + rows) * d;
        int blocks = work < MinParallelWork || Parallelism.Threads == 1 ? 1 : Parallelism.Threads * 4;
        var bounds = BalancedRowBlocks(s.Cost, blocks);
        var width = Simd.Width;
        Parallelism.ForBlocks(blocks, 1, (b0, b1) =>
        {
            var k = new Kernel(s.RowPtr, s.ColIdx, s.Values, s.Source, s.RowMap, x.Data, x.Rows, y.Data, d, accumulate);
            for (int b = b0; b < b1; b++)
            {
                switch (width)
                {
                    case SimdWidth.Vector512: k.Rows<Float512>(bounds[b], bounds[b + 1]); break;
                    case SimdWidth.Vector256: k.Rows<Float256>(bounds[b], bounds[b + 1]); break;
                    default: k.Rows<Float1>(bounds[b], bounds[b + 1]); break;
                }
            }
        });
    }

    /// <summary>
    /// Cuts [0, rows) into <paramref name="blocks"/> contiguous ranges of about equal cost, a row
    /// costing its stored entries plus one (for writing it): bounds[b]..bounds[b+1] is block b.
    /// <paramref name="rowPtr"/> is a CSR row pointer, or any prefix sum of per-row entry counts.
    /// </summary>
    internal static int[] BalancedRowBlocks(int[] rowPtr, int blocks)
    {
        int rows = rowPtr.Length - 1;
        long total = (long)rowPtr[rows] + rows;
        var bounds = new int[blocks + 1];
        bounds[blocks] = rows;
        for (int b = 1; b < blocks; b++)
        {
            long target = total * b / blocks;
            int lo = bounds[b - 1], hi = rows; // first row r with cost(r) = rowPtr[r] + r ≥ target
            while (lo < hi)
            {
                int mid = (lo + hi) >>> 1;
                if (rowPtr[mid] + (long)mid < target) lo = mid + 1; else hi = mid;
            }
            bounds[b] = lo;
        }
        return bounds;
    }

    readonly struct Kernel(int[] rowPtr, int[] colIdx, float[] values, int[]? source, int[]? rowMap, float[] x, int xRows, float[] y, int d, float? accumulate)
    {
        readonly bool _accumulate = accumulate.HasValue;
        readonly float _scale = accumulate ?? 1f;

        /// <summary>Writes a finished sum: y = a, or y = a·scale + y when accumulating.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        void Put<V>(V a, ref float yr) where V : struct, IFloatVector<V>
        {
            if (_accumulate) V.Store(a * V.Create(_scale) + V.Load(ref yr), ref yr);
            else V.Store(a, ref yr);
        }

        /// <summary>Output rows [r0, r1): four vectors of columns at a time, then one, then scalars.</summary>
        public void Rows<V>(int r0, int r1) where V : struct, IFloatVector<V>
        {
            int w = V.Count;
            for (int r = r0; r < r1; r++)
            {
                int sr = rowMap is null ? r : rowMap[r];
                int c = 0;
                for (; c + 4 * w <= d; c += 4 * w) Columns4<V>(sr, r, c);
                for (; c + w <= d; c += w) Columns1<V>(sr, r, c);
                for (; c < d; c++) Columns1<Float1>(sr, r, c);
            }
        }

        /// <summary>Columns c.. of output row r from the operand's row sr.</summary>
        void Columns4<V>(int sr, int r, int c) where V : struct, IFloatVector<V>
        {
            int w = V.Count;
            V a0 = V.Zero, a1 = V.Zero, a2 = V.Zero, a3 = V.Zero;
            for (int p = rowPtr[sr], end = rowPtr[sr + 1]; p < end; p++)
            {
                ref float xr = ref Entry(p, c, out float v);
                a0 = V.MultiplyAdd(V.Load(ref xr), v, a0);
                a1 = V.MultiplyAdd(V.Load(ref Unsafe.Add(ref xr, w)), v, a1);
                a2 = V.MultiplyAdd(V.Load(ref Unsafe.Add(ref xr, 2 * w)), v, a2);
                a3 = V.MultiplyAdd(V.Load(ref Unsafe.Add(ref xr, 3 * w)), v, a3);
            }
            ref float yr = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(y), (nint)r * d + c);
            Put(a0, ref yr);
            Put(a1, ref Unsafe.Add(ref yr, w));
            Put(a2, ref Unsafe.Add(ref yr, 2 * w));
            Put(a3, ref Unsafe.Add(ref yr, 3 * w));
        }

        void Columns1<V>(int sr, int r, int c) where V : struct, IFloatVector<V>
        {
            V a = V.Zero;
            for (int p = rowPtr[sr], end = rowPtr[sr + 1]; p < end; p++)
            {
                ref float xr = ref Entry(p, c, out float v);
                a = V.MultiplyAdd(V.Load(ref xr), v, a);
            }
            Put(a, ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(y), (nint)r * d + c));
        }

        /// <summary>Entry p's value and a reference to X[col, c]; the column is range-checked once here.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        ref float Entry(int p, int c, out float v)
        {
            int col = colIdx[p];
            if ((uint)col >= (uint)xRows) ThrowColumn(col);
            v = values[source is null ? p : source[p]];
            return ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(x), (nint)col * d + c);
        }

        static void ThrowColumn(int col) =>
            throw new InvalidOperationException($"Sparse column index {col} is out of range: was the CSR structure changed after construction?");
    }
}
