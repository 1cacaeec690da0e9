using Crane.Data;
using Crane.Numerics;

namespace Crane.Bench;

/// <summary>
/// The Amazon Baby user–item graph for kernel benchmarks: nodes are users then items, the
/// bipartite adjacency [[0, R], [Rᵀ, 0]] of the training rows (x_label = 0), symmetrically
/// normalised D^-1/2 A D^-1/2. Read with Data's InterReader; the real normalisation belongs to
/// Graphs/, this only has to produce the same sparsity for timing.
/// </summary>
public static class BabyGraph
{
    public const string SharedPath = "data/amazon-baby/baby.inter";

    static readonly Lazy<CsrMatrix> Cached = new(Load);

    public static CsrMatrix Adjacency => Cached.Value;

    static CsrMatrix Load()
    {
        var path = SharedFiles.Find(SharedPath) ?? throw new FileNotFoundException($"{SharedPath} not found in ../shared.");
        var table = InterReader.Read(path);
        int nUsers = table.UserCount, nodes = nUsers + table.ItemCount;
        var (rows, cols) = (new List<int>(), new List<int>());
        for (int e = 0; e < table.Count; e++)
        {
            if (table.Labels[e] != Split.Train) continue;
            rows.Add(table.Users[e]); cols.Add(nUsers + table.Items[e]);
            rows.Add(nUsers + table.Items[e]); cols.Add(table.Users[e]);
        }
        var a = CsrMatrix.FromCoo(nodes, nodes, rows.ToArray(), cols.ToArray(), Enumerable.Repeat(1f, rows.Count).ToArray());
        var degree = a.RowSums();
        var v = a.Values;
        for (int r = 0; r < nodes; r++)
            for (int p = a.RowPtr[r]; p < a.RowPtr[r + 1]; p++)
                v[p] = 1f / MathF.Sqrt(degree[r] * degree[a.ColIdx[p]]);
        return a;
    }
}
