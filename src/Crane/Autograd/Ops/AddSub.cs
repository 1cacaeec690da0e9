namespace Crane.Autograd;

public static partial class Ops
{
    /// <summary>
    /// a + b. <paramref name="b"/> has a's shape, or broadcasts: one row (1×cols) added to every
    /// row (a bias), one column (rows×1) added to every column, or a 1×1 scalar. A broadcast b's
    /// gradient is the output gradient summed over the repeated axis.
    /// </summary>
    public static Variable Add(Variable a, Variable b) => AddScaled<AddKernel>(a, b, 1f, nameof(Add));

    /// <summary>a − b, with b broadcast as in <see cref="Add"/>.</summary>
    public static Variable Sub(Variable a, Variable b) => AddScaled<SubtractKernel>(a, b, -1f, nameof(Sub));

    /// <summary>a + sign·b where <typeparamref name="TKernel"/> computes exactly that; ∂b = sign·reduce(g).</summary>
    static Variable AddScaled<TKernel>(Variable a, Variable b, float sign, string op) where TKernel : IBinaryKernel
    {
        var kind = ResolveBroadcast(a, b, op);
        return Variable.FromOp(Map<TKernel>(a.Value, b.Value, kind), [a, b], g =>
        {
            if (a.RequiresGrad) a.AccumulateGrad(g.AsSpan());
            if (b.RequiresGrad) ReduceInto(g, b.GradOrZeros(), kind, sign);
        });
    }
}
