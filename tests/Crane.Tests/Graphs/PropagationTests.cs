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

    /// <summary>A random square graph of 60 nodes, symmetric (with values A[i,j] = A[j,i]) or not.</summary>
    static CsrMatrix RandomGraph(bool symmetric, int seed)
    {
        var rng = new Random(seed);
        List<int> rows = [], cols = [];
        List<float> values = [];
        for (int r = 0; r < 60; r++)
            for (int c = symmetric ? r + 1 : 0; c < 60; c++)
                if (rng.NextDouble() < 0.15)
                {
                    float v = (float)rng.NextDouble();
                    rows.Add(r); cols.Add(c); values.Add(v);
                    if (symmetric) { rows.Add(c); cols.Add(r); values.Add(v); }
                }
        return CsrMatrix.FromCoo(60, 60, rows.ToArray(), cols.ToArray(), values.ToArray());
    }

    /// <summary>Σ weights ⊙ rows: a loss that sends a different gradient to every output element.</summary>
    static Variable WeightedSum(Variable rows, Tensor weights) => Ops.Sum(Ops.Mul(rows, Variable.Constant(weights)));

    [Theory]
    [InlineData(0, true)]
    [InlineData(1, true)]
    [InlineData(2, true)]
    [InlineData(3, true)]
    [InlineData(2, false)]
    [InlineData(3, false)]
    public void Layer_mean_at_nodes_gives_the_full_layer_means_rows_and_gradient_bits(int layers, bool symmetric)
    {
        var graph = RandomGraph(symmetric, seed: 80 + layers);
        var transposed = symmetric ? graph : null;
        int[] nodes = [1, 2, 7, 20, 21, 33, 58, 59];
        var weights = GradCheck.Random(nodes.Length, 64, 81);
        var e0 = GradCheck.Random(60, 64, 82);

        var full = Variable.Parameter(e0.Clone());
        var gathered = Ops.GatherRows(Propagation.LayerMean(graph, full, layers, transposed), nodes);
        WeightedSum(gathered, weights).Backward();

        var workspace = new PropagationWorkspace();
        for (int round = 0; round < 2; round++) // the second round reuses the workspace's tables
        {
            var at = Variable.Parameter(e0.Clone());
            var mean = Propagation.LayerMeanAt(graph, at, layers, nodes, transposed, workspace);
            WeightedSum(mean, weights).Backward();
            Assert.True(gathered.Value.Data.AsSpan().SequenceEqual(mean.Value.Data), "values differ");
            Assert.True(full.Grad!.Data.AsSpan().SequenceEqual(at.Grad!.Data), "gradients differ");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Layer_mean_at_nodes_gradient_matches_finite_differences(int layers) =>
        GradCheck.Check(v => Propagation.LayerMeanAt(Graph, v[0], layers, [0, 3, 5, 9]), GradCheck.Random(10, 3, 83));

    [Fact]
    public void Layer_mean_at_nodes_needs_ascending_nodes_inside_the_graph()
    {
        var e0 = Variable.Parameter(new Tensor(10, 2));
        Reference.AssertRejected<ArgumentException>(() => Propagation.LayerMeanAt(Graph, e0, 2, [3, 1]), "strictly ascending", "position 1");
        Reference.AssertRejected<ArgumentException>(() => Propagation.LayerMeanAt(Graph, e0, 2, [4, 10]), "10 nodes");
    }

    [Fact]
    public void Shape_errors_are_named()
    {
        Reference.AssertRejected<ArgumentException>(() => Propagation.LayerMean(Graph, new Tensor(9, 4), 2), "10 nodes", "9×4");
        Reference.AssertRejected<ArgumentOutOfRangeException>(() => Propagation.LayerMean(Graph, new Tensor(10, 4), -1), "layers");
    }
}
