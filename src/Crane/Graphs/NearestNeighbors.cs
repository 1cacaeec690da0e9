using Crane.Numerics;

namespace Crane.Graphs;

/// <summary>
/// The k most similar rows of every row by cosine, as a Rows × k table: <c>Neighbors[r·k + j]</c>
/// is row r's j-th neighbour (most similar first), <c>Similarities</c> the cosine values.
/// </summary>
/// <param name="Rows">Rows of the feature table.</param>
/// <param name="K">Neighbours per row.</param>
/// <param name="Neighbors">Neighbour indices, row-major, most similar first (ties to the lower index).</param>
/// <param name="Similarities">Cosine similarity of each neighbour.</param>
public sealed record NeighborTable(int Rows, int K, int[] Neighbors, float[] Similarities);

/// <summary>
/// Cosine k-nearest neighbours of the rows of a feature table, computed block-wise: the rows are
/// L2-normalised once, then each block of rows is multiplied against all rows and reduced to its
/// top-k at once, so memory is one block × N scores — never N × N. The one home of the item–item
/// kNN graph (CRANE, FREEDOM, LATTICE, DGVAE).
/// </summary>
public static class NearestNeighbors
{
    /// <summary>Rows per block: the score buffer is BlockRows × N floats (64 MB at N = 63,001).</summary>
    public const int BlockRows = 256;

    /// <summary>
    /// Each row's <paramref name="k"/> nearest rows by cosine. With <paramref name="includeSelf"/>
    /// false a row is never its own neighbour (CRANE); with true it competes like any other row
    /// (MMRec's FREEDOM/LATTICE graphs, where it is usually the first). Zero rows have cosine 0
    /// with everything.
    /// </summary>
    public static NeighborTable Cosine(Tensor features, int k, bool includeSelf)
    {
        int n = features.Rows;
        int candidates = includeSelf ? n : n - 1;
        if (k < 1 || k > candidates)
            throw new ArgumentOutOfRangeException(nameof(k), $"k must be in [1, {candidates}] for {n} rows, got {k}.");
        var unit = new Tensor(n, features.Cols);
        RowOps.L2Normalize(features, unit);

        var neighbors = new int[n * k];
        var similarities = new float[n * k];
        var scores = new Tensor(Math.Min(BlockRows, n), n);
        var blockNeighbors = new int[scores.Rows * k];
        var blockSimilarities = new float[scores.Rows * k];
        for (int start = 0; start < n; start += BlockRows)
        {
            int rows = Math.Min(BlockRows, n - start);
            var block = rows == scores.Rows ? scores : new Tensor(rows, n);
            Gemm.Multiply(rows, n, unit.Cols, 1f, unit.Data.AsSpan(start * unit.Cols), unit.Cols, false,
                unit.Data, unit.Cols, true, 0f, block.Data, n);
            if (!includeSelf)
                for (int r = 0; r < rows; r++) block[r, start + r] = float.NegativeInfinity;
            TopK.PerRow(block, k, blockNeighbors, blockSimilarities);
            Array.Copy(blockNeighbors, 0, neighbors, start * k, rows * k);
            Array.Copy(blockSimilarities, 0, similarities, start * k, rows * k);
        }
        return new NeighborTable(n, k, neighbors, similarities);
    }
}
