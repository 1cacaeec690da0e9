using System.Numerics.Tensors;
using Crane.Numerics;

namespace Crane.Autograd;

public static partial class Ops
{
    /// <summary>c·x for a constant c; ∂x = c·g.</summary>
    public static Variable Scale(Variable x, float c)
    {
        var y = x.Value.ZerosLike();
        TensorPrimitives.Multiply(x.Value.Data, c, y.Data);
        return Variable.FromOp(y, [x], g =>
        {
            var gx = x.GradOrZeros().Data;
            TensorPrimitives.MultiplyAdd(g.Data, c, gx, gx);
        });
    }
}
