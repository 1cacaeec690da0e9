using System.Globalization;
using Crane.Data;
using Crane.Graphs;
using Crane.Numerics;

namespace Crane.Bench;

/// <summary>
/// Amazon Baby for benchmarks: the interactions as a <see cref="Dataset"/> and the normalised
/// user–item graph Â built from its training rows by <see cref="UserItemGraph"/>. A minimal
/// reader (no validation, identity ids): the real one belongs to Data/; this only has to
/// produce the same data for timing.
/// </summary>
public static class BabyGraph
{
    public const string SharedPath = "data/amazon-baby/baby.inter";

    static readonly Lazy<Dataset> CachedData = new(Load);
    static readonly Lazy<CsrMatrix> CachedAdjacency = new(() => UserItemGraph.NormalizedAdjacency(CachedData.Value));

    public static Dataset Data => CachedData.Value;

    public static CsrMatrix Adjacency => CachedAdjacency.Value;

    static Dataset Load()
    {
        var path = SharedFiles.Find(SharedPath) ?? throw new FileNotFoundException($"{SharedPath} not found in ../shared.");
        var lines = File.ReadLines(path);
        var header = lines.First().Split('\t');
        int ui = Array.IndexOf(header, "userID"), ii = Array.IndexOf(header, "itemID"), li = Array.IndexOf(header, "x_label");
        if (ui < 0 || ii < 0 || li < 0) throw new InvalidDataException($"{path}: header needs userID, itemID and x_label.");
        var splits = new (List<int> Users, List<int> Items)[] { ([], []), ([], []), ([], []) };
        foreach (var line in lines.Skip(1))
        {
            if (line.Length == 0) continue;
            var f = line.Split('\t');
            var split = splits[int.Parse(f[li], CultureInfo.InvariantCulture)];
            split.Users.Add(int.Parse(f[ui], CultureInfo.InvariantCulture));
            split.Items.Add(int.Parse(f[ii], CultureInfo.InvariantCulture));
        }
        int users = splits.Max(s => s.Users.Max()) + 1, items = splits.Max(s => s.Items.Max()) + 1;
        Interactions Part(int k) => new(splits[k].Users.ToArray(), splits[k].Items.ToArray());
        return new Dataset
        {
            Name = "baby", UserCount = users, ItemCount = items,
            Train = Part(0), Valid = Part(1), Test = Part(2),
            UserIds = IdMap.Identity(users), ItemIds = IdMap.Identity(items),
            SourceFiles = [path],
        };
    }
}
