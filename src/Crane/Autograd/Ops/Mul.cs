namespace Crane.Autograd;

public static partial class Ops
{
    /// <summary>
    /// a ⊙ b (element-wise), with b broadcast as in <see cref="Add"/>:
    /// ∂a = g ⊙ broadcast(b), ∂b = reduce(g ⊙ a).
    /// </summary>
    public static Variable Mul(Variable a, Variable b)
    {
        var kind = ResolveBroadcast(a, b, nameof(Mul));
        return Variable.FromOp(Map<MultiplyKernel>(a.Value, b.Value, kind), [a, b], g =>
        {
            if (a.RequiresGrad) a.AccumulateGrad(Map<MultiplyKernel>(g, b.Value, kind).Data);
            if (b.RequiresGrad) ReduceInto(Map<MultiplyKernel>(g, a.Value, Broadcast.None), b.GradOrZeros(), kind, 1f);
        });
    }
}
