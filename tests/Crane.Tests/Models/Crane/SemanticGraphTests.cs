using Crane.Autograd;
using Crane.Models;
using Crane.Numerics;
using Crane.Tests.Autograd;

namespace Crane.Tests.Models;

public class SemanticGraphTests
{
    [Fact]
    public void Each_item_has_k_neighbours_before_symmetrisation_and_no_self_loop()
    {
        var z = GradCheck.Random(40, 6, 81);
        var graph = SemanticGraph.Build(z, 4);
        var s = graph.Structure;
        for (int i = 0; i < 40; i++)
        {
            var knn = graph.Neighbors.Neighbors.AsSpan(i * 4, 4).ToArray();
            Assert.Equal(4, knn.Distinct().Count());
            Assert.DoesNotContain(i, knn);
            Assert.DoesNotContain(i, s.RowIndices(i).ToArray());
            foreach (int j in knn)
            {
                Assert.Contains(j, s.RowIndices(i).ToArray());
                Assert.Contains(i, s.RowIndices(j).ToArray());   // the union of both directions
            }
        }
        // Nothing else: every stored edge is a kNN edge in one direction or the other.
        for (int i = 0; i < 40; i++)
            foreach (int j in s.RowIndices(i))
                Assert.True(graph.Neighbors.Neighbors.AsSpan(i * 4, 4).Contains(j) || graph.Neighbors.Neighbors.AsSpan(j * 4, 4).Contains(i));
    }

    [Fact]
    public void Weights_are_symmetrically_normalised_clipped_cosines_and_differentiable()
    {
        var z = GradCheck.Random(12, 4, 82);
        var graph = SemanticGraph.Build(z, 3);
        var s = graph.Structure;
        double Cos(int i, int j)
        {
            double dot = 0, ni = 0, nj = 0;
            for (int c = 0; c < z.Cols; c++) { dot += z[i, c] * z[j, c]; ni += z[i, c] * z[i, c]; nj += z[j, c] * z[j, c]; }
            return Math.Max(0, dot / Math.Sqrt(ni * nj));
        }
        var degree = Enumerable.Range(0, 12).Select(i => s.RowIndices(i).ToArray().Sum(j => Cos(i, j)) + 1e-7).ToArray();
        var w = graph.NormalizedWeights(Variable.Constant(z)).Value;
        for (int i = 0; i < 12; i++)
            for (int p = s.RowPtr[i]; p < s.RowPtr[i + 1]; p++)
                Assert.Equal(Cos(i, s.ColIdx[p]) / Math.Sqrt(degree[i] * degree[s.ColIdx[p]]), w.Data[p], 1e-5);
        GradCheck.Check(v => graph.NormalizedWeights(v[0]), z);
    }
}
