using Crane.Autograd;
using Crane.Graphs;
using Crane.Numerics;
using Crane.Tests.Autograd;
using Crane.Tests.Models;

namespace Crane.Tests.Graphs;

public class PropagationTests
{
    /// <summary>(1/(L+1))·Σₗ Aˡ·E in double, with A dense.</summary>
    public static double[,] DenseLayerMean(double[,] a, Tensor e, int layers)
    {
        int n = e.Rows, d = e.Cols;
        var current = new double[n, d];
        var sum = new double[n, d];
        for (int r = 0; r < n; r++) for (int c = 0; c < d; c++) sum[r, c] = current[r, c] = e[r, c];
        for (int l = 0; l < layers; l++)
        {
            var next = new double[n, d];
            for (int r = 0; r < n; r++)
                for (int k = 0; k < n; k++)
                    if (a[r, k] != 0)
                        for (int c = 0; c < d; c++) next[r, c] += a[r, k] * current[k, c];
            current = next;
            for (int r = 0; r < n; r++) for (int c = 0; c < d; c++) sum[r, c] += current[r, c];
        }
        for (int r = 0; r < n; r++) for (int c = 0; c < d; c++) sum[r, c] /= layers + 1;
        return sum;
    }

    static readonly CsrMatrix Graph = UserItemGraph.NormalizedAdjacency(TinyData.Create());
    static readonly double[,] DenseGraph = UserItemGraphTests.DenseReference(4, 6, TinyData.TrainPairs);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Layer_mean_matches_the_dense_reference(int layers)
    {
        var e0 = GradCheck.Random(10, 5, 71);
        var expected = DenseLayerMean(DenseGraph, e0, layers);
        Reference.AssertClose(Propagation.LayerMean(Graph, e0, layers), 10, 5, (r, c) => expected[r, c]);
        Reference.AssertClose(Propagation.LayerMean(Graph, Variable.Constant(e0), layers, Graph).Value, 10, 5, (r, c) => expected[r, c]);
    }

    [Fact]
    public void The_input_table_is_left_unchanged()
    {
        var e0 = GradCheck.Random(10, 5, 72);
        var copy = e0.Clone();
        Propagation.LayerMean(Graph, e0, 3);
        Assert.Equal(copy.Data, e0.Data);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Gradient_on_the_symmetric_graph(int layers) =>
        GradCheck.Check(v => Propagation.LayerMean(Graph, v[0], layers, transposed: Graph), GradCheck.Random(10, 3, 73));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Gradient_on_a_non_symmetric_graph(bool giveTranspose)
    {
        var rng = new Random(74);
        List<int> rows = [], cols = [];
        List<float> values = [];
        for (int r = 0; r < 6; r++)
            for (int c = 0; c < 6; c++)
                if (rng.NextDouble() < 0.4) { rows.Add(r); cols.Add(c); values.Add((float)rng.NextDouble()); }
        var a = CsrMatrix.FromCoo(6, 6, rows.ToArray(), cols.ToArray(), values.ToArray());
        GradCheck.Check(v => Propagation.LayerMean(a, v[0], 2, giveTranspose ? a.Transpose() : null), GradCheck.Random(6, 3, 75));
    }

    [Fact]
    public void Shape_errors_are_named()
    {
        Reference.AssertRejected<ArgumentException>(() => Propagation.LayerMean(Graph, new Tensor(9, 4), 2), "10 nodes", "9×4");
        Reference.AssertRejected<ArgumentOutOfRangeException>(() => Propagation.LayerMean(Graph, new Tensor(10, 4), -1), "layers");
    }
}
