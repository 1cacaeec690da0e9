using System.Numerics.Tensors;
using Crane.Numerics;

namespace Crane.Autograd;

public static partial class Ops
{
    /// <summary>Rows of a per block: the score buffer is ProductBlockRows × c.Rows floats.</summary>
    const int ProductBlockRows = 256;

    /// <summary>
    /// y_r = log Σ_j exp(s·⟨a_r, c_j⟩) for every row r of <paramref name="a"/>, as rows×1 — the
    /// denominator of an InfoNCE over every row of <paramref name="c"/> — computed block-wise, so
    /// the a.Rows × c.Rows scores are never held at once (one 256-row block at a time, with the row
    /// max subtracted before exp). With P = softmax_j(s·a cᵀ): ∂a = s·diag(g)·P·c and
    /// ∂c = s·Pᵀ·diag(g)·a, P recomputed block by block in backward (blocks summed in order).
    /// </summary>
    public static Variable LogSumExpOfProducts(Variable a, Variable c, float s)
    {
        if (a.Cols != c.Cols) throw new ArgumentException($"{nameof(LogSumExpOfProducts)}: a is {a.Value.ShapeText} but c is {c.Value.ShapeText}; they need the same width.");
        if (c.Rows == 0) throw new ArgumentException($"{nameof(LogSumExpOfProducts)}: c has no rows.");
        var y = new Tensor(a.Rows, 1);
        ForProductBlocks(a.Value, c.Value, s, (start, rows, scores) =>
        {
            for (int r = 0; r < rows; r++)
            {
                var row = scores.AsSpan(r * c.Rows, c.Rows);
                float max = TensorPrimitives.Max(row);
                TensorPrimitives.Subtract(row, max, row);
                TensorPrimitives.Exp(row, row);
                y.Data[start + r] = max + MathF.Log(TensorPrimitives.Sum(row));
            }
        });
        return Variable.FromOp(y, [a, c], g =>
        {
            int d = a.Cols, m = c.Rows;
            var ga = a.RequiresGrad ? a.Value.ZerosLike() : null;
            var gc = c.RequiresGrad ? c.Value.ZerosLike() : null;
            ForProductBlocks(a.Value, c.Value, s, (start, rows, scores) =>
            {
                for (int r = 0; r < rows; r++)   // W = s·g_r·P_r·
                {
                    var row = scores.AsSpan(r * m, m);
                    TensorPrimitives.Subtract(row, y.Data[start + r], row);
                    TensorPrimitives.Exp(row, row);
                    TensorPrimitives.Multiply(row, s * g.Data[start + r], row);
                }
                if (ga is not null) Gemm.Multiply(rows, d, m, 1f, scores, m, false, c.Value.Data, d, false, 0f, ga.Data.AsSpan(start * d), d);
                if (gc is not null) Gemm.Multiply(m, d, rows, 1f, scores, m, true, a.Value.Data.AsSpan(start * d), d, false, 1f, gc.Data, d);
            });
            if (ga is not null) a.AccumulateGrad(ga.Data);
            if (gc is not null) c.AccumulateGrad(gc.Data);
        });
    }

    /// <summary>For each block of up to 256 rows of a: scores = s·a_block·cᵀ (rows × c.Rows, row-major), then body(start, rows, scores).</summary>
    static void ForProductBlocks(Tensor a, Tensor c, float s, Action<int, int, float[]> body)
    {
        var scores = new float[Math.Min(ProductBlockRows, Math.Max(1, a.Rows)) * c.Rows];
        for (int start = 0; start < a.Rows; start += ProductBlockRows)
        {
            int rows = Math.Min(ProductBlockRows, a.Rows - start);
            Gemm.Multiply(rows, c.Rows, a.Cols, s, a.Data.AsSpan(start * a.Cols), a.Cols, false, c.Data, c.Cols, true, 0f, scores, c.Rows);
            body(start, rows, scores);
        }
    }
}
