namespace Crane.Autograd;

/// <summary>
/// The differentiable operations. Each op lives in its own file under Ops/, forward and
/// backward side by side, and returns a new <see cref="Variable"/>.
/// </summary>
public static partial class Ops
{
    internal static void RequireSameShape(Variable a, Variable b, string op)
    {
        if (!a.Value.SameShape(b.Value))
            throw new ArgumentException($"{op}: shapes {a.Value.ShapeText} and {b.Value.ShapeText} differ.");
    }
}
