using Crane.Graphs;
using Crane.Numerics;
using Crane.Tests.Models;

namespace Crane.Tests.Graphs;

public class UserItemGraphTests
{
    /// <summary>The dense (M+N)² reference: A from the unique training pairs, Â = D^{-1/2} A D^{-1/2} in double.</summary>
    public static double[,] DenseReference(int users, int items, IEnumerable<(int User, int Item)> train)
    {
        int n = users + items;
        var a = new double[n, n];
        foreach (var (u, i) in train) { a[u, users + i] = 1; a[users + i, u] = 1; }
        var degree = new double[n];
        for (int r = 0; r < n; r++) for (int c = 0; c < n; c++) degree[r] += a[r, c];
        var norm = new double[n, n];
        for (int r = 0; r < n; r++)
            for (int c = 0; c < n; c++)
                norm[r, c] = a[r, c] / Math.Sqrt((degree[r] + 1e-7) * (degree[c] + 1e-7));
        return norm;
    }

    internal static double[,] Dense(CsrMatrix m)
    {
        var d = new double[m.Rows, m.Cols];
        for (int r = 0; r < m.Rows; r++)
            for (int p = m.RowPtr[r]; p < m.RowPtr[r + 1]; p++) d[r, m.ColIdx[p]] = m.Values[p];
        return d;
    }

    [Fact]
    public void Matches_the_dense_normalised_adjacency()
    {
        var data = TinyData.Create();
        var graph = UserItemGraph.NormalizedAdjacency(data);
        var expected = DenseReference(4, 6, TinyData.TrainPairs);
        var actual = Dense(graph);
        Assert.Equal((10, 10), (graph.Rows, graph.Cols));
        for (int r = 0; r < 10; r++)
            for (int c = 0; c < 10; c++)
                Assert.True(Math.Abs(actual[r, c] - expected[r, c]) <= 1e-7 * Math.Max(1, expected[r, c]),
                    $"Â[{r},{c}] = {actual[r, c]} but expected {expected[r, c]}.");
    }

    [Fact]
    public void Stores_each_unique_pair_twice_and_nothing_else()
    {
        var graph = UserItemGraph.NormalizedAdjacency(TinyData.Create());
        int unique = TinyData.TrainPairs.Distinct().Count();
        Assert.Equal(2 * unique, graph.NonZeros);
        Assert.All(graph.Values, v => Assert.True(v > 0));
        // Item 5 has no training rows: an empty row and column, no self-loop anywhere.
        Assert.Equal(0, graph.RowIndices(4 + 5).Length);
        for (int r = 0; r < graph.Rows; r++) Assert.DoesNotContain(r, graph.RowIndices(r).ToArray());
    }

    [Fact]
    public void Is_its_own_transpose_bit_for_bit()
    {
        var graph = UserItemGraph.NormalizedAdjacency(TinyData.Create());
        var t = graph.Transpose();
        Assert.Equal(graph.RowPtr, t.RowPtr);
        Assert.Equal(graph.ColIdx, t.ColIdx);
        Assert.Equal(graph.Values, t.Values);
    }

    [Fact]
    public void Row_normalised_graph_with_self_loops_matches_a_dense_reference()
    {
        // D̃^{-1}(A + I): A from the unique training pairs, every row divided by its degree + 1.
        var graph = UserItemGraph.RowNormalizedWithSelfLoops(TinyData.Create().TrainMatrix);
        var a = new double[10, 10];
        foreach (var (u, i) in TinyData.TrainPairs) { a[u, 4 + i] = 1; a[4 + i, u] = 1; }
        for (int r = 0; r < 10; r++) a[r, r] = 1;
        var actual = Dense(graph);
        for (int r = 0; r < 10; r++)
        {
            double degree = Enumerable.Range(0, 10).Sum(c => a[r, c]);
            for (int c = 0; c < 10; c++) Assert.Equal(a[r, c] / degree, actual[r, c], 1e-7);
            Assert.True(graph.RowIndices(r).ToArray().SequenceEqual(graph.RowIndices(r).ToArray().Order()), $"row {r}: columns sorted");
        }
        Assert.Equal(1.0, actual[4 + 5, 4 + 5]);   // item 5 has no training rows: only its self-loop
    }
}
