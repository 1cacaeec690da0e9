using System.Globalization;
using Crane.Numerics;

namespace Crane.Bench;

/// <summary>
/// The Amazon Baby user–item graph for kernel benchmarks: nodes are users then items, the
/// bipartite adjacency [[0, R], [Rᵀ, 0]] of the training rows (x_label = 0), symmetrically
/// normalised D^-1/2 A D^-1/2. A minimal reader: the real one belongs to Data/, the real
/// normalisation to Graphs/; this only has to produce the same sparsity for timing.
/// </summary>
public static class BabyGraph
{
    public const string SharedPath = "data/amazon-baby/baby.inter";

    static readonly Lazy<CsrMatrix> Cached = new(Load);
    static readonly Lazy<BabyRows> CachedRows = new(ReadRows);

    public static CsrMatrix Adjacency => Cached.Value;

    /// <summary>Every row of baby.inter: user, item and x_label (0 train, 1 valid, 2 test).</summary>
    public static BabyRows Rows => CachedRows.Value;

    static BabyRows ReadRows()
    {
        var path = SharedFiles.Find(SharedPath) ?? throw new FileNotFoundException($"{SharedPath} not found in ../shared.");
        var lines = File.ReadLines(path);
        var header = lines.First().Split('\t');
        int ui = Array.IndexOf(header, "userID"), ii = Array.IndexOf(header, "itemID"), li = Array.IndexOf(header, "x_label");
        if (ui < 0 || ii < 0 || li < 0) throw new InvalidDataException($"{path}: header needs userID, itemID and x_label.");
        var (users, items, labels) = (new List<int>(), new List<int>(), new List<int>());
        foreach (var line in lines.Skip(1))
        {
            if (line.Length == 0) continue;
            var f = line.Split('\t');
            users.Add(int.Parse(f[ui], CultureInfo.InvariantCulture));
            items.Add(int.Parse(f[ii], CultureInfo.InvariantCulture));
            labels.Add(int.Parse(f[li], CultureInfo.InvariantCulture));
        }
        return new BabyRows([.. users], [.. items], [.. labels]);
    }

    static CsrMatrix Load()
    {
        var (users, items, labels) = Rows;
        int nUsers = users.Max() + 1, nodes = nUsers + items.Max() + 1;
        var (rows, cols) = (new List<int>(), new List<int>());
        for (int e = 0; e < users.Length; e++)
        {
            if (labels[e] != 0) continue;
            rows.Add(users[e]); cols.Add(nUsers + items[e]);
            rows.Add(nUsers + items[e]); cols.Add(users[e]);
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

/// <summary>The rows of baby.inter as parallel arrays.</summary>
public sealed record BabyRows(int[] Users, int[] Items, int[] Labels);
