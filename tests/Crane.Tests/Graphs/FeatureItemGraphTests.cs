using Crane.Graphs;
using Crane.Numerics;

namespace Crane.Tests.Graphs;

public class FeatureItemGraphTests
{
    static Tensor Features(int n, int d, ulong seed)
    {
        var x = new Tensor(n, d);
        new Rng(seed).FillNormal(x.Data, 0f, 1f);
        return x;
    }

    [Theory]
    [InlineData(12, 5, 3)]
    [InlineData(300, 6, 10)] // more rows than one kNN block
    public void Each_row_keeps_its_k_nearest_by_cosine_self_included_each_one_over_k(int n, int d, int k)
    {
        var x = Features(n, d, 5);
        var graph = FeatureItemGraph.Knn(x, k);
        for (int i = 0; i < n; i++)
        {
            var expected = NearestNeighborsTests.BruteForce(x, i, k, includeSelf: true).Select(p => p.Index).Order().ToArray();
            Assert.Equal(expected, graph.RowIndices(i).ToArray());
            Assert.Contains(i, expected);
            Assert.All(graph.RowValues(i).ToArray(), v => Assert.Equal(1f / k, v));
        }
    }

    [Fact]
    public void Modalities_are_mixed_with_their_weights_against_a_dense_reference()
    {
        const int n = 40, k = 4;
        var (image, text) = (Features(n, 7, 1), Features(n, 3, 2));
        var mixed = UserItemGraphTests.Dense(FeatureItemGraph.Mixed([(image, 0.1f), (text, 0.9f)], k));
        for (int i = 0; i < n; i++)
        {
            var expected = new double[n];
            foreach (var (x, w) in new[] { (image, 0.1), (text, 0.9) })
                foreach (var (j, _) in NearestNeighborsTests.BruteForce(x, i, k, includeSelf: true)) expected[j] += w / k;
            for (int j = 0; j < n; j++) Assert.Equal(expected[j], mixed[i, j], 1e-6);
            Assert.Equal(1.0, Enumerable.Range(0, n).Sum(j => mixed[i, j]), 1e-6);
        }
    }

    [Fact]
    public void The_graph_is_directed_not_symmetrised()
    {
        // A hub row close to everything is everyone's neighbour, but keeps only k of its own.
        var x = Features(30, 4, 3);
        var graph = UserItemGraphTests.Dense(FeatureItemGraph.Knn(x, 3));
        bool asymmetric = false;
        for (int i = 0; i < 30; i++) for (int j = 0; j < 30; j++) asymmetric |= graph[i, j] != graph[j, i];
        Assert.True(asymmetric);
    }

    [Fact]
    public void Tables_of_different_lengths_are_rejected() =>
        Assert.Throws<ArgumentException>(() => FeatureItemGraph.Mixed([(Features(5, 2, 1), 0.5f), (Features(6, 2, 1), 0.5f)], 2));
}
