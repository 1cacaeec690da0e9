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

    /// <summary>Y = S·X where S is CSR (rowPtr, colIdx) with entry p's value at values[source?[p] ?? p].</summary>
    static void Run(int[] rowPtr, int[] colIdx, float[] values, int[]? source, Tensor x, Tensor y)
    {
        int rows = rowPtr.Length - 1, d = x.Cols;
        if (rows == 0 || d == 0) return;
        long work = (long)(rowPtr[rows] + rows) * d;
        int blocks = work < MinParallelWork || Parallelism.Threads == 1 ? 1 : Parallelism.Threads * 4;
        var bounds = BalancedRowBlocks(rowPtr, blocks);
        var width = Simd.Width;
        Parallelism.ForBlocks(blocks, 1, (b0, b1) =>
        {
            var k = new Kernel(rowPtr, colIdx, values, source, x.Data, x.Rows, y.Data, d);
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

    readonly struct Kernel(int[] rowPtr, int[] colIdx, float[] values, int[]? source, float[] x, int xRows, float[] y, int d)
    {
        /// <summary>Rows [r0, r1): four vectors of columns at a time, then one, then scalars.</summary>
        public void Rows<V>(int r0, int r1) where V : struct, IFloatVector<V>
        {
            int w = V.Count;
            for (int r = r0; r < r1; r++)
            {
                int c = 0;
                for (; c + 4 * w <= d; c += 4 * w) Columns4<V>(r, c);
                for (; c + w <= d; c += w) Columns1<V>(r, c);
                for (; c < d; c++) Columns1<Float1>(r, c);
            }
        }

        void Columns4<V>(int r, int c) where V : struct, IFloatVector<V>
        {
            int w = V.Count;
            V a0 = V.Zero, a1 = V.Zero, a2 = V.Zero, a3 = V.Zero;
            for (int p = rowPtr[r], end = rowPtr[r + 1]; p < end; p++)
            {
                ref float xr = ref Entry(p, c, out float v);
                a0 = V.MultiplyAdd(V.Load(ref xr), v, a0);
                a1 = V.MultiplyAdd(V.Load(ref Unsafe.Add(ref xr, w)), v, a1);
                a2 = V.MultiplyAdd(V.Load(ref Unsafe.Add(ref xr, 2 * w)), v, a2);
                a3 = V.MultiplyAdd(V.Load(ref Unsafe.Add(ref xr, 3 * w)), v, a3);
            }
            ref float yr = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(y), (nint)r * d + c);
            V.Store(a0, ref yr);
            V.Store(a1, ref Unsafe.Add(ref yr, w));
            V.Store(a2, ref Unsafe.Add(ref yr, 2 * w));
            V.Store(a3, ref Unsafe.Add(ref yr, 3 * w));
        }

        void Columns1<V>(int r, int c) where V : struct, IFloatVector<V>
        {
            V a = V.Zero;
            for (int p = rowPtr[r], end = rowPtr[r + 1]; p < end; p++)
            {
                ref float xr = ref Entry(p, c, out float v);
                a = V.MultiplyAdd(V.Load(ref xr), v, a);
            }
            V.Store(a, ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(y), (nint)r * d + c));
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
