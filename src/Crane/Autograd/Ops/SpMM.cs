using System.Numerics.Tensors;
using Crane.Numerics;
using Kernels = Crane.Numerics.SpMM;

namespace Crane.Autograd;

public static partial class Ops
{
    /// <summary>
    /// A·x (or Aᵀ·x when <paramref name="transposeA"/>) for a constant sparse A, e.g. graph
    /// propagation. ∂x = Aᵀ·G (or A·G).
    /// </summary>
    public static Variable SpMM(CsrMatrix a, Variable x, bool transposeA = false)
    {
        int inner = transposeA ? a.Rows : a.Cols;
        if (x.Rows != inner)
            throw new ArgumentException(
                $"{nameof(SpMM)}: A{(transposeA ? "ᵀ" : "")} needs {inner} rows in x (A is {a.Rows}×{a.Cols}) but x is {x.Value.ShapeText}.");
        var y = new Tensor(transposeA ? a.Cols : a.Rows, x.Cols);
        Multiply(a, transposeA, x.Value, y);
        return Variable.FromOp(y, [x], g =>
        {
            var gx = x.Value.ZerosLike();
            Multiply(a, !transposeA, g, gx);
            x.AccumulateGrad(gx.Data);
        });
    }

    /// <summary>
    /// A(w)·x where A has <paramref name="structure"/>'s sparsity pattern and learned edge
    /// weights <paramref name="weights"/> (1×nnz, in CSR order; structure's own values are
    /// ignored). ∂x = A(w)ᵀ·G; ∂w_p = G[row p]·x[col p] for every stored entry p.
    /// </summary>
    public static Variable SpMM(CsrMatrix structure, Variable weights, Variable x)
    {
        if (weights.Rows != 1 || weights.Cols != structure.NonZeros)
            throw new ArgumentException(
                $"{nameof(SpMM)}: weights must be 1×{structure.NonZeros} (one per stored entry of the {structure.Rows}×{structure.Cols} structure) but are {weights.Value.ShapeText}.");
        if (x.Rows != structure.Cols)
            throw new ArgumentException(
                $"{nameof(SpMM)}: A is {structure.Rows}×{structure.Cols} but x is {x.Value.ShapeText}; x needs {structure.Cols} rows.");
        var a = structure.WithValues(weights.Value.Data);
        var y = new Tensor(a.Rows, x.Cols);
        Kernels.Multiply(a, x.Value, y);
        return Variable.FromOp(y, [weights, x], g =>
        {
            if (weights.RequiresGrad)
            {
                var gw = weights.GradOrZeros().Data;
                ForRows(g, (s, e) =>
                {
                    for (int r = s; r < e; r++)
                        for (int p = a.RowPtr[r]; p < a.RowPtr[r + 1]; p++)
                            gw[p] += TensorPrimitives.Dot(g.Row(r), x.Value.Row(a.ColIdx[p]));
                });
            }
            if (x.RequiresGrad)
            {
                var gx = x.Value.ZerosLike();
                Kernels.MultiplyTransposed(a, g, gx);
                x.AccumulateGrad(gx.Data);
            }
        });
    }

    static void Multiply(CsrMatrix a, bool transposeA, Tensor x, Tensor y)
    {
        if (transposeA) Kernels.MultiplyTransposed(a, x, y);
        else Kernels.Multiply(a, x, y);
    }
}
