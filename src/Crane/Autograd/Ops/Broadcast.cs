using System.Numerics.Tensors;
using Crane.Numerics;

namespace Crane.Autograd;

public static partial class Ops
{
    /// <summary>How a second operand's shape maps onto a first one's (rows×cols).</summary>
    internal enum Broadcast
    {
        /// <summary>Same shape.</summary>
        None,
        /// <summary>1×cols, repeated for every row.</summary>
        Row,
        /// <summary>rows×1, repeated for every column.</summary>
        Column,
        /// <summary>1×1, repeated everywhere.</summary>
        Scalar,
    }

    /// <summary>An element-wise binary operator on spans, with a span or a scalar right operand.</summary>
    internal interface IBinaryKernel
    {
        static abstract void Apply(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> destination);
        static abstract void Apply(ReadOnlySpan<float> x, float y, Span<float> destination);
    }

    internal readonly struct AddKernel : IBinaryKernel
    {
        public static void Apply(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> d) => TensorPrimitives.Add(x, y, d);
        public static void Apply(ReadOnlySpan<float> x, float y, Span<float> d) => TensorPrimitives.Add(x, y, d);
    }

    internal readonly struct SubtractKernel : IBinaryKernel
    {
        public static void Apply(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> d) => TensorPrimitives.Subtract(x, y, d);
        public static void Apply(ReadOnlySpan<float> x, float y, Span<float> d) => TensorPrimitives.Subtract(x, y, d);
    }

    internal readonly struct MultiplyKernel : IBinaryKernel
    {
        public static void Apply(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> d) => TensorPrimitives.Multiply(x, y, d);
        public static void Apply(ReadOnlySpan<float> x, float y, Span<float> d) => TensorPrimitives.Multiply(x, y, d);
    }

    /// <summary>How <paramref name="b"/> broadcasts onto <paramref name="a"/>; throws naming <paramref name="op"/> when it cannot.</summary>
    internal static Broadcast ResolveBroadcast(Variable a, Variable b, string op)
    {
        if (a.Value.SameShape(b.Value)) return Broadcast.None;
        if (b.Rows == 1 && b.Cols == a.Cols) return Broadcast.Row;
        if (b.Cols == 1 && b.Rows == a.Rows) return Broadcast.Column;
        if (b.Rows == 1 && b.Cols == 1) return Broadcast.Scalar;
        throw new ArgumentException(
            $"{op}: shape {b.Value.ShapeText} does not broadcast to {a.Value.ShapeText} (expected {a.Value.ShapeText}, 1×{a.Cols}, {a.Rows}×1 or 1×1).");
    }

    /// <summary>destination = a ∘ broadcast(b), with destination a's shape (it may be a itself).</summary>
    internal static void Map<TKernel>(Tensor a, Tensor b, Broadcast kind, Tensor destination) where TKernel : IBinaryKernel
    {
        switch (kind)
        {
            case Broadcast.None:
                ForElements(a.Length, (s, e) => TKernel.Apply(a.Data.AsSpan(s..e), b.Data.AsSpan(s..e), destination.Data.AsSpan(s..e)));
                break;
            case Broadcast.Scalar:
                ForElements(a.Length, (s, e) => TKernel.Apply(a.Data.AsSpan(s..e), b.Data[0], destination.Data.AsSpan(s..e)));
                break;
            default:
                ForRows(a, (s, e) =>
                {
                    for (int r = s; r < e; r++)
                        if (kind == Broadcast.Row) TKernel.Apply(a.Row(r), b.Row(0), destination.Row(r));
                        else TKernel.Apply(a.Row(r), b.Data[r], destination.Row(r));
                });
                break;
        }
    }

    /// <summary>a ∘ broadcast(b) as a new tensor of a's shape.</summary>
    internal static Tensor Map<TKernel>(Tensor a, Tensor b, Broadcast kind) where TKernel : IBinaryKernel
    {
        var y = a.ZerosLike();
        Map<TKernel>(a, b, kind, y);
        return y;
    }

    /// <summary>
    /// target += scale · (g summed down to target's shape): the adjoint of broadcasting, so both
    /// the gradient of a broadcast operand and the forward of Sum. Each element of target is
    /// summed in a fixed order, so results do not depend on the thread count.
    /// </summary>
    internal static void ReduceInto(Tensor g, Tensor target, Broadcast kind, float scale)
    {
        switch (kind)
        {
            case Broadcast.None:
                ForElements(g.Length, (s, e) =>
                    TensorPrimitives.MultiplyAdd(g.Data.AsSpan(s..e), scale, target.Data.AsSpan(s..e), target.Data.AsSpan(s..e)));
                break;
            case Broadcast.Row:
                var row = target.Row(0);
                for (int r = 0; r < g.Rows; r++) TensorPrimitives.MultiplyAdd(g.Row(r), scale, row, row);
                break;
            case Broadcast.Column:
                ForRows(g, (s, e) =>
                {
                    for (int r = s; r < e; r++) target.Data[r] += scale * TensorPrimitives.Sum(g.Row(r));
                });
                break;
            case Broadcast.Scalar:
                target.Data[0] += scale * TensorPrimitives.Sum(g.Data);
                break;
        }
    }

    /// <summary>target += scale · broadcast(source): the adjoint of <see cref="ReduceInto"/>.</summary>
    internal static void ExpandInto(Tensor source, Tensor target, Broadcast kind, float scale)
    {
        if (scale != 1f)
        {
            source = source.Clone();
            TensorPrimitives.Multiply(source.Data, scale, source.Data);
        }
        Map<AddKernel>(target, source, kind, target);
    }
}
