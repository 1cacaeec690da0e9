namespace Crane.Autograd;

public static partial class Ops
{
    /// <summary>The sum of all elements, as 1×1; ∂x = g everywhere.</summary>
    public static Variable Sum(Variable x) => Reduce(x, Broadcast.Scalar, 1f);

    /// <summary>Sums over <paramref name="axis"/>: over rows gives 1×cols, over columns rows×1.</summary>
    public static Variable Sum(Variable x, Axis axis) => Reduce(x, AxisBroadcast(axis), 1f);

    /// <summary>The mean of all elements, as 1×1.</summary>
    public static Variable Mean(Variable x) => Reduce(x, Broadcast.Scalar, 1f / x.Value.Length);

    /// <summary>Means over <paramref name="axis"/>: over rows gives 1×cols, over columns rows×1.</summary>
    public static Variable Mean(Variable x, Axis axis) =>
        Reduce(x, AxisBroadcast(axis), 1f / (axis == Axis.Rows ? x.Rows : x.Cols));

    static Broadcast AxisBroadcast(Axis axis) => axis switch
    {
        Axis.Rows => Broadcast.Row,
        Axis.Columns => Broadcast.Column,
        _ => throw new ArgumentOutOfRangeException(nameof(axis), axis, "Axis must be Rows or Columns."),
    };

    /// <summary>scale · (x summed down to the <paramref name="kind"/> shape); the backward broadcasts g back.</summary>
    static Variable Reduce(Variable x, Broadcast kind, float scale)
    {
        var y = kind switch
        {
            Broadcast.Row => new Tensor(1, x.Cols),
            Broadcast.Column => new Tensor(x.Rows, 1),
            _ => new Tensor(1, 1),
        };
        ReduceInto(x.Value, y, kind, scale);
        return Variable.FromOp(y, [x], g => ExpandInto(g, x.GradOrZeros(), kind, scale));
    }
}
