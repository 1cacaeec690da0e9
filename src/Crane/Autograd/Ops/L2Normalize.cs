using System.Numerics.Tensors;
using Crane.Numerics;

namespace Crane.Autograd;

public static partial class Ops
{
    /// <summary>
    /// Each row divided by max(‖row‖₂, eps). Backward per row with n = ‖x‖: ∂x = (g − y⟨g, y⟩)/n,
    /// or g/eps where the clamp is active (there y = x/eps is linear in x).
    /// </summary>
    public static Variable L2Normalize(Variable x, float eps = 1e-12f)
    {
        var norms = new float[x.Rows];
        return RowWise(x, (v, y) => RowOps.L2Normalize(v, y, eps, norms), (r, g, y, dx, _) =>
        {
            bool clamped = norms[r] <= eps;
            float inv = 1f / (clamped ? eps : norms[r]);
            TensorPrimitives.MultiplyAdd(g, inv, dx, dx);
            if (!clamped) TensorPrimitives.MultiplyAdd(y, -inv * TensorPrimitives.Dot(g, y), dx, dx);
        });
    }
}
