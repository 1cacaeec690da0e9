using System.Numerics.Tensors;
using Crane.Numerics;

namespace Crane.Autograd;

public static partial class Ops
{
    /// <summary>
    /// Layer normalisation of each row: x̂ = (x − mean) / sqrt(var + eps) (biased variance, as
    /// PyTorch), then x̂ ⊙ gain + bias where <paramref name="gain"/> and <paramref name="bias"/>
    /// are optional 1×cols variables.
    /// </summary>
    public static Variable LayerNorm(Variable x, Variable? gain = null, Variable? bias = null, float eps = 1e-5f)
    {
        foreach (var p in (ReadOnlySpan<Variable?>)[gain, bias])
            if (p is not null && (p.Rows != 1 || p.Cols != x.Cols))
                throw new ArgumentException($"{nameof(LayerNorm)}: gain and bias must be 1×{x.Cols} for x {x.Value.ShapeText}, not {p.Value.ShapeText}.");
        var y = Normalize(x, eps);
        if (gain is not null) y = Mul(y, gain);
        return bias is null ? y : Add(y, bias);
    }

    /// <summary>
    /// x̂ without gain or bias. Backward (standard formula, with istd = 1/sqrt(var + eps) and
    /// means over the row): ∂x = istd · (g − mean(g) − x̂ · mean(g ⊙ x̂)).
    /// </summary>
    static Variable Normalize(Variable x, float eps)
    {
        var istd = new float[x.Rows];
        float n = x.Cols;
        return RowWise(x, (v, y) => RowOps.LayerNorm(v, y, eps, inverseStd: istd), (r, g, y, dx, _) =>
        {
            float meanG = TensorPrimitives.Sum(g) / n, meanGy = TensorPrimitives.Dot(g, y) / n;
            TensorPrimitives.MultiplyAdd(g, istd[r], dx, dx);
            TensorPrimitives.Add(dx, -istd[r] * meanG, dx);
            TensorPrimitives.MultiplyAdd(y, -istd[r] * meanGy, dx, dx);
        });
    }
}
