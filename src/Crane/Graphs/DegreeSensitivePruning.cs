using Crane.Numerics;

namespace Crane.Graphs;

/// <summary>
/// FREEDOM's degree-sensitive edge pruning of the user–item graph (baselines.md): each epoch
/// keeps ⌊E·(1−p)⌋ of the E training edges, sampled without replacement with probability
/// ∝ wₑ = 1/√(d_u·d_i) (full-graph degrees, + 1e-7 as MMRec), and renormalises the kept,
/// mirrored subgraph with its own degrees through <see cref="UserItemGraph.NormalizedAdjacency(CsrMatrix)"/>.
/// Sampling uses exponential keys (Efraimidis–Spirakis): keyₑ = −ln(Uₑ)/wₑ, keep the smallest;
/// this is the same law as drawing edges one by one ∝ w without replacement
/// (torch.multinomial), in O(E log E).
/// </summary>
public sealed class DegreeSensitivePruning
{
    readonly CsrMatrix _train;
    readonly int[] _edgeUser;
    readonly double[] _weight;

    /// <summary>
    /// Pruning of <paramref name="train"/>'s edges (its stored entries; values are ignored) at drop
    /// rate <paramref name="dropRate"/> p ∈ [0, 1).
    /// </summary>
    public DegreeSensitivePruning(CsrMatrix train, float dropRate)
    {
        if (!(dropRate >= 0f && dropRate < 1f)) throw new ArgumentOutOfRangeException(nameof(dropRate), $"The drop rate p must be in [0, 1), got {dropRate}.");
        _train = train;
        int edges = train.NonZeros;
        KeptEdges = (int)Math.Floor(edges * (1.0 - dropRate));
        var itemDegree = new int[train.Cols];
        foreach (int i in train.ColIdx) itemDegree[i]++;
        _edgeUser = new int[edges];
        _weight = new double[edges];
        for (int u = 0; u < train.Rows; u++)
        {
            double du = train.RowPtr[u + 1] - train.RowPtr[u] + UserItemGraph.DegreeEpsilon;
            for (int e = train.RowPtr[u]; e < train.RowPtr[u + 1]; e++)
            {
                _edgeUser[e] = u;
                _weight[e] = 1.0 / (Math.Sqrt(du) * Math.Sqrt(itemDegree[train.ColIdx[e]] + UserItemGraph.DegreeEpsilon));
            }
        }
    }

    /// <summary>E: the training edges (distinct user–item pairs).</summary>
    public int Edges => _weight.Length;

    /// <summary>⌊E·(1−p)⌋: the edges each epoch keeps.</summary>
    public int KeptEdges { get; }

    /// <summary>The sampling weight wₑ = 1/√(d_u·d_i) of each edge, in the training matrix's CSR order.</summary>
    public ReadOnlySpan<double> Weights => _weight;

    /// <summary>
    /// The kept edges as ascending indices into the training matrix's stored entries: the
    /// <see cref="KeptEdges"/> smallest keys −ln(U)/w, U uniform in (0, 1] from <paramref name="rng"/>.
    /// </summary>
    public int[] SampleEdges(Rng rng)
    {
        var keys = new double[Edges];
        var order = new int[Edges];
        for (int e = 0; e < keys.Length; e++)
        {
            keys[e] = -Math.Log(1.0 - rng.NextDouble()) / _weight[e];
            order[e] = e;
        }
        Array.Sort(keys, order);
        var kept = order.AsSpan(0, KeptEdges).ToArray();
        Array.Sort(kept);
        return kept;
    }

    /// <summary>This epoch's graph: Â of the kept subgraph (mirrored, renormalised with its own degrees).</summary>
    public CsrMatrix Prune(Rng rng) => UserItemGraph.NormalizedAdjacency(Subgraph(SampleEdges(rng)));

    /// <summary>The binary user × item matrix of the given edges (ascending indices keep CSR order).</summary>
    internal CsrMatrix Subgraph(int[] keptAscending)
    {
        var rowPtr = new int[_train.Rows + 1];
        var colIdx = new int[keptAscending.Length];
        for (int q = 0; q < keptAscending.Length; q++)
        {
            rowPtr[_edgeUser[keptAscending[q]] + 1]++;
            colIdx[q] = _train.ColIdx[keptAscending[q]];
        }
        for (int u = 0; u < _train.Rows; u++) rowPtr[u + 1] += rowPtr[u];
        return new CsrMatrix(_train.Rows, _train.Cols, rowPtr, colIdx, Enumerable.Repeat(1f, colIdx.Length).ToArray());
    }
}
