namespace Crane.Autograd;

/// <summary>The axis a reduction such as <see cref="Ops.Sum(Variable, Axis)"/> runs over.</summary>
public enum Axis
{
    /// <summary>Over the rows: one value per column (result 1×cols).</summary>
    Rows,

    /// <summary>Over the columns: one value per row (result rows×1).</summary>
    Columns,
}
