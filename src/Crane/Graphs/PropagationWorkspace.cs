using Crane.Numerics;

namespace Crane.Graphs;

/// <summary>
/// Full-graph scratch tables that <see cref="Propagation.LayerMeanAt"/> reuses from one training
/// step to the next, instead of allocating (and zero-filling, and later collecting) several
/// (M+N)×d tables per step. A model keeps one; one training loop at a time may use it.
/// </summary>
public sealed class PropagationWorkspace
{
    readonly Tensor?[] _tables = new Tensor?[2];

    /// <summary>Scratch table <paramref name="slot"/> (0 or 1) of the given shape; its contents are whatever the last user left.</summary>
    internal Tensor Table(int slot, int rows, int cols)
    {
        var t = _tables[slot];
        if (t is null || t.Rows != rows || t.Cols != cols) _tables[slot] = t = new Tensor(rows, cols);
        return t;
    }
}
