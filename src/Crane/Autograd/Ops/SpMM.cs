using System.Numerics.Tensors;
using Crane.Numerics;
using Kernels = Crane.Numerics.SpMM;

namespace Crane.Autograd;

public static partial class Ops
{
    /// <summary>
    /// A·x (or Aᵀ·x when <paramref name="transposeA"/>) for a constant sparse A, e.g. graph
    /// propagation. ∂x = Aᵀ·G (or A·G). Products with Aᵀ use the transposed kernel unless
    /// <paramref name="transposed"/> supplies Aᵀ built once (A itself when A is symmetric, like
    /// the normalised user–item adjacency): then every product is a row-parallel A·X.
    /// </summary>
    public static Variable SpMM(CsrMatrix a, Variable x, bool transposeA = false, CsrMatrix? transposed = null)
    {
        if (transposed is not null && (transposed.Rows != a.Cols || transposed.Cols != a.Rows || transposed.NonZeros != a.NonZeros))
            throw new ArgumentException(
                $"{nameof(SpMM)}: the given transpose is {transposed.Rows}×{transposed.Cols} with {transposed.NonZeros} entries but A is {a.Rows}×{a.Cols} with {a.NonZeros}.");
        int inner = transposeA ? a.Rows : a.Cols;
        if (x.Rows != inner)
            throw new ArgumentException(
                $"{nameof(SpMM)}: A{(transposeA ? "ᵀ" : "")} needs {inner} rows in x (A is {a.Rows}×{a.Cols}) but x is {x.Value.ShapeText}.");
        var y = new Tensor(transposeA ? a.Cols : a.Rows, x.Cols);
        Multiply(a, transposed, transposeA, x.Value, y);
        return Variable.FromOp(y, [x], g =>
        {
            var gx = x.Value.ZerosLike();
            Multiply(a, transposed, !transposeA, g, gx);
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

    /// <summary>y = op(A)·x, using the precomputed transpose when there is one.</summary>
    static void Multiply(CsrMatrix a, CsrMatrix? transposed, bool transposeA, Tensor x, Tensor y)
    {
        if (!transposeA) Kernels.Multiply(a, x, y);
        else if (transposed is not null) Kernels.Multiply(transposed, x, y);
        else Kernels.MultiplyTransposed(a, x, y);
    }
}
