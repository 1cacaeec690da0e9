using System.Numerics.Tensors;
using Crane.Numerics;

namespace Crane.Autograd;

public static partial class Ops
{
    /// <summary>
    /// ‖x‖_F = √(Σ x²), un-squared, as 1×1 (MMRec's <c>torch.norm</c> in EmbLoss).
    /// ∂x = g·x/‖x‖_F; at x = 0 the gradient is taken as 0 (the norm's subgradient there).
    /// </summary>
    public static Variable FrobeniusNorm(Variable x)
    {
        float norm = TensorPrimitives.Norm(x.Value.Data);
        return Variable.FromOp(Tensor.Scalar(norm), [x], g =>
        {
            if (norm == 0f) return;
            var gx = x.GradOrZeros().Data;
            TensorPrimitives.MultiplyAdd(x.Value.Data, g.Data[0] / norm, gx, gx);
        });
    }
}
