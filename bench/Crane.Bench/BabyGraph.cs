using Crane.Data;
using Crane.Graphs;
using Crane.Numerics;

namespace Crane.Bench;

/// <summary>
/// Amazon Baby for benchmarks: the dataset read by <see cref="DatasetReader"/> and the normalised
/// user–item graph Â built from its training rows by <see cref="UserItemGraph"/>.
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
        return DatasetReader.Load(Path.GetDirectoryName(path)!).Dataset;
    }
}
