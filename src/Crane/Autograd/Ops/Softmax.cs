using System.Numerics.Tensors;
using Crane.Numerics;

namespace Crane.Autograd;

public static partial class Ops
{
    /// <summary>Softmax of each row. Backward: ∂x = y ⊙ (g − ⟨g, y⟩) per row.</summary>
    public static Variable Softmax(Variable x) =>
        RowWise(x, RowOps.Softmax, (_, g, y, dx, _) =>
        {
            TensorPrimitives.MultiplyAdd(y, g, dx, dx);
            TensorPrimitives.MultiplyAdd(y, -TensorPrimitives.Dot(g, y), dx, dx);
        });

    /// <summary>Log-softmax of each row. Backward: ∂x = g − softmax(x)·Σg per row, softmax(x) = e^y.</summary>
    public static Variable LogSoftmax(Variable x) =>
        RowWise(x, RowOps.LogSoftmax, (_, g, y, dx, p) =>
        {
            TensorPrimitives.Exp(y, p);
            TensorPrimitives.Add(dx, g, dx);
            TensorPrimitives.MultiplyAdd(p, -TensorPrimitives.Sum(g), dx, dx);
        });
}
