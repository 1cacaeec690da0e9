using Crane.Numerics;

namespace Crane.Autograd;

/// <summary>
/// The differentiable operations. Each op lives in its own file under Ops/, forward and
/// backward side by side, and returns a new <see cref="Variable"/>.
/// </summary>
public static partial class Ops
{
    // Elements per parallel block: below this, thread hand-off costs more than the work.
    const int BlockElements = 16384;

    internal static void RequireSameShape(Variable a, Variable b, string op)
    {
        if (!a.Value.SameShape(b.Value))
            throw new ArgumentException($"{op}: shapes {a.Value.ShapeText} and {b.Value.ShapeText} differ.");
    }

    /// <summary>Runs body(start, end) over row blocks of <paramref name="t"/> (each row in one block).</summary>
    internal static void ForRows(Tensor t, Action<int, int> body) =>
        Parallelism.ForBlocks(t.Rows, Math.Max(1, BlockElements / Math.Max(1, t.Cols)), body);

    /// <summary>Runs body(start, end) over blocks of a flat range of <paramref name="count"/> elements.</summary>
    internal static void ForElements(int count, Action<int, int> body) =>
        Parallelism.ForBlocks(count, BlockElements, body);
}
