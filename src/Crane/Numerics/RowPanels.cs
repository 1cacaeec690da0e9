using System.Runtime.CompilerServices;

namespace Crane.Numerics;

/// <summary>
/// A row-major N×d table kept for fast products with one vector at a time (a user against every
/// item): its rows in panels of 16, each panel stored column by column (d×16), so y = T·x streams
/// the table once, front to back, with one vector accumulator per 16 rows. Packing once here is
/// what <see cref="Gemm"/> would otherwise redo on every call.
/// </summary>
/// <remarks>
/// Each y[j] is summed exactly as GEMM sums (x·Tᵀ)[j]: one fused multiply-add chain over k from
/// zero, in k order, in blocks of <see cref="GemmDriver.KC"/> whose results are added. So the bits
/// equal <c>Gemm.Multiply(x, T, transB: true)</c>'s, on every SIMD path and thread count.
/// </remarks>
internal sealed class RowPanels
{
    /// <summary>Rows per panel: one Vector512, two Vector256 or sixteen scalar lanes.</summary>
    const int Lanes = 16;

    readonly float[] _panels; // panel q, column p, lane l at (q·d + p)·16 + l; rows past N are zero

    /// <summary>Packs <paramref name="table"/> (which may change afterwards; the panels keep their own copy).</summary>
    public RowPanels(Tensor table)
    {
        (Rows, Cols) = (table.Rows, table.Cols);
        int panels = (Rows + Lanes - 1) / Lanes;
        _panels = new float[(long)panels * Cols * Lanes];
        for (int r = 0; r < Rows; r++)
        {
            var row = table.Row(r);
            long start = (long)(r / Lanes) * Cols * Lanes + r % Lanes;
            for (int p = 0; p < Cols; p++) _panels[start + (long)p * Lanes] = row[p];
        }
    }

    /// <summary>N, the table's rows.</summary>
    public int Rows { get; }

    /// <summary>d, the table's columns.</summary>
    public int Cols { get; }

    /// <summary>y = T·x: y[j] = Σ_p T[j, p]·x[p] (x of length d, y of length N).</summary>
    public void Multiply(ReadOnlySpan<float> x, Span<float> y) => Multiply(Simd.Width, x, y);

    /// <summary><see cref="Multiply(ReadOnlySpan{float}, Span{float})"/> on a chosen kernel path (tests force each one).</summary>
    internal void Multiply(SimdWidth path, ReadOnlySpan<float> x, Span<float> y)
    {
        if (x.Length != Cols || y.Length != Rows)
            throw new ArgumentException($"T·x needs x of length {Cols} and y of length {Rows}; got {x.Length} and {y.Length}.");
        int panels = (Rows + Lanes - 1) / Lanes;
        if (Parallelism.Threads == 1 || panels < 2 * MinPanelsPerBlock)
        {
            Panels(path, x, y, 0, panels); // one block: straight into y, nothing allocated
            return;
        }
        var (xs, ys) = (x.ToArray(), new float[Rows]); // spans cannot cross into the parallel blocks
        Parallelism.ForBlocks(panels, MinPanelsPerBlock, (q0, q1) => Panels(path, xs, ys, q0, q1));
        ys.CopyTo(y);
    }

    /// <summary>Panels per parallel block (4,096 rows): less work than that is not worth handing to another thread.</summary>
    const int MinPanelsPerBlock = 256;

    void Panels(SimdWidth path, ReadOnlySpan<float> x, Span<float> y, int q0, int q1)
    {
        switch (path)
        {
            case SimdWidth.Vector512: Panels<Float512>(x, y, q0, q1); break;
            case SimdWidth.Vector256: Panels<Float256>(x, y, q0, q1); break;
            default: ScalarPanels(x, y, q0, q1); break;
        }
    }

    // One Vector512 or two Vector256 accumulators per panel, held in registers through the k loop.
    void Panels<V>(ReadOnlySpan<float> x, Span<float> y, int q0, int q1) where V : struct, IFloatVector<V>
    {
        int d = Cols;
        bool two = V.Count * 2 == Lanes;
        Span<float> sum = stackalloc float[Lanes];
        for (int q = q0; q < q1; q++)
        {
            ref float panel = ref _panels[(long)q * d * Lanes];
            for (int p0 = 0; p0 < d; p0 += GemmDriver.KC)
            {
                int p1 = Math.Min(d, p0 + GemmDriver.KC);
                V a0 = V.Zero, a1 = V.Zero;
                for (int p = p0; p < p1; p++)
                {
                    ref float column = ref Unsafe.Add(ref panel, p * Lanes);
                    a0 = V.MultiplyAdd(V.Load(ref column), x[p], a0);
                    if (two) a1 = V.MultiplyAdd(V.Load(ref Unsafe.Add(ref column, V.Count)), x[p], a1);
                }
                // As GEMM's tile store: the first block of k is the sum, later blocks are added to it.
                ref float s0 = ref sum[0], s1 = ref sum[two ? V.Count : 0];
                V.Store(p0 == 0 ? a0 : a0 + V.Load(ref s0), ref s0);
                if (two) V.Store(p0 == 0 ? a1 : a1 + V.Load(ref s1), ref s1);
            }
            Finish(q, sum, y);
        }
    }

    // The scalar path: sixteen chains, each in k order.
    void ScalarPanels(ReadOnlySpan<float> x, Span<float> y, int q0, int q1)
    {
        int d = Cols;
        Span<float> sum = stackalloc float[Lanes], acc = stackalloc float[Lanes];
        for (int q = q0; q < q1; q++)
        {
            var panel = _panels.AsSpan((int)((long)q * d * Lanes), d * Lanes);
            for (int p0 = 0; p0 < d; p0 += GemmDriver.KC)
            {
                acc.Clear();
                for (int p = p0; p < Math.Min(d, p0 + GemmDriver.KC); p++)
                    for (int l = 0; l < Lanes; l++) acc[l] = MathF.FusedMultiplyAdd(panel[p * Lanes + l], x[p], acc[l]);
                for (int l = 0; l < Lanes; l++) sum[l] = p0 == 0 ? acc[l] : acc[l] + sum[l];
            }
            Finish(q, sum, y);
        }
    }

    void Finish(int q, ReadOnlySpan<float> sum, Span<float> y)
    {
        int first = q * Lanes, count = Math.Min(Lanes, Rows - first);
        sum[..count].CopyTo(y.Slice(first, count));
    }
}
