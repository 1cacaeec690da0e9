namespace Crane.Graphs;

/// <summary>
/// The distinct graph nodes a training batch touches, ascending, and where each of the batch's
/// ids sits among them: what <see cref="Propagation.LayerMeanAt"/> needs to propagate only
/// towards the rows the loss reads.
/// </summary>
/// <param name="Nodes">Distinct node ids, strictly ascending.</param>
/// <param name="Positions">For each input id array, the index into <see cref="Nodes"/> of each of its ids.</param>
public sealed record BatchNodes(int[] Nodes, int[][] Positions)
{
    /// <summary>The union of <paramref name="ids"/> (node ids in [0, nodeCount)) and each id's position in it.</summary>
    public static BatchNodes Of(int nodeCount, params int[][] ids)
    {
        var position = new int[nodeCount];
        foreach (var list in ids)
            foreach (int id in list)
            {
                if ((uint)id >= (uint)nodeCount) throw new ArgumentOutOfRangeException(nameof(ids), $"Node {id} is outside the graph's {nodeCount} nodes.");
                position[id] = 1;
            }
        var nodes = new List<int>();
        for (int n = 0; n < nodeCount; n++)
            if (position[n] != 0)
            {
                position[n] = nodes.Count;
                nodes.Add(n);
            }
        var positions = new int[ids.Length][];
        for (int a = 0; a < ids.Length; a++)
        {
            positions[a] = new int[ids[a].Length];
            for (int i = 0; i < ids[a].Length; i++) positions[a][i] = position[ids[a][i]];
        }
        return new BatchNodes([.. nodes], positions);
    }
}
