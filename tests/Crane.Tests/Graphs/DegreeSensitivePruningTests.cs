using Crane.Graphs;
using Crane.Numerics;

namespace Crane.Tests.Graphs;

public class DegreeSensitivePruningTests
{
    static readonly (int User, int Item)[] Small = [(0, 0), (0, 1), (0, 2), (0, 3), (1, 0), (1, 1), (2, 0), (3, 2)];

    static CsrMatrix Matrix(int users, int items, (int User, int Item)[] pairs) =>
        CsrMatrix.FromCoo(users, items, pairs.Select(p => p.User).ToArray(), pairs.Select(p => p.Item).ToArray(), Enumerable.Repeat(1f, pairs.Length).ToArray());

    [Theory]
    [InlineData(0.8f)]
    [InlineData(0.9f)]
    [InlineData(0.5f)]
    [InlineData(0f)]
    public void Keeps_exactly_floor_e_times_one_minus_p_distinct_edges(float p)
    {
        var data = TestDatasets.Random(60, 40, seed: 3);
        var pruning = new DegreeSensitivePruning(data.TrainMatrix, p);
        int e = data.TrainMatrix.NonZeros;
        Assert.Equal((int)Math.Floor(e * (1.0 - p)), pruning.KeptEdges);
        var kept = pruning.SampleEdges(new Rng(9));
        Assert.Equal(pruning.KeptEdges, kept.Length);
        Assert.Equal(kept.Length, kept.Distinct().Count());
        Assert.All(kept, k => Assert.InRange(k, 0, e - 1));
    }

    [Fact]
    public void Weights_are_one_over_root_of_full_graph_degrees()
    {
        var pruning = new DegreeSensitivePruning(Matrix(4, 4, Small), 0.5f);
        int[] userDegree = [4, 2, 1, 1], itemDegree = [3, 2, 2, 1];
        for (int e = 0; e < Small.Length; e++) // FromCoo keeps these sorted pairs in order
            Assert.Equal(1 / Math.Sqrt(userDegree[Small[e].User] * itemDegree[Small[e].Item]), pruning.Weights[e], 1e-6);
    }

    [Fact]
    public void The_pruned_graph_is_the_mirrored_renormalised_kept_subgraph()
    {
        var data = TestDatasets.Random(20, 15, seed: 4);
        var train = data.TrainMatrix;
        var pruning = new DegreeSensitivePruning(train, 0.6f);
        var kept = pruning.SampleEdges(Rng.ForStream(5, "prune"));
        var pairs = kept.Select(e => (Array.FindLastIndex(train.RowPtr, p => p <= e), train.ColIdx[e])).ToArray();
        var expected = UserItemGraphTests.DenseReference(20, 15, pairs);
        var actual = UserItemGraphTests.Dense(pruning.Prune(Rng.ForStream(5, "prune")));
        for (int r = 0; r < 35; r++)
            for (int c = 0; c < 35; c++) Assert.Equal(expected[r, c], actual[r, c], 1e-6);
    }

    [Fact]
    public void Same_stream_same_edges_and_the_next_draw_differs()
    {
        var pruning = new DegreeSensitivePruning(TestDatasets.Random(50, 30, seed: 6).TrainMatrix, 0.8f);
        var (a, b) = (new Rng(11), new Rng(11));
        var first = pruning.SampleEdges(a);
        Assert.Equal(first, pruning.SampleEdges(b));
        Assert.NotEqual(first, pruning.SampleEdges(a));
    }

    /// <summary>
    /// Exact inclusion probabilities of drawing <paramref name="m"/> edges one at a time ∝ w
    /// without replacement (torch.multinomial's law), by dynamic programming over the subsets
    /// drawn so far: P(S ∪ {e}) += P(S)·wₑ / (W − w(S)).
    /// </summary>
    static double[] InclusionProbabilities(ReadOnlySpan<double> w, int m)
    {
        int e = w.Length;
        var prob = new double[1 << e];
        prob[0] = 1;
        double total = 0;
        foreach (var x in w) total += x;
        var inclusion = new double[e];
        for (int set = 0; set < prob.Length; set++)
        {
            if (prob[set] == 0) continue;
            int size = System.Numerics.BitOperations.PopCount((uint)set);
            if (size == m)
            {
                for (int j = 0; j < e; j++) if ((set >> j & 1) != 0) inclusion[j] += prob[set];
                continue;
            }
            double drawn = 0;
            for (int j = 0; j < e; j++) if ((set >> j & 1) != 0) drawn += w[j];
            for (int j = 0; j < e; j++)
                if ((set >> j & 1) == 0) prob[set | 1 << j] += prob[set] * w[j] / (total - drawn);
        }
        return inclusion;
    }

    [Fact]
    public void Inclusion_frequencies_follow_sampling_without_replacement_proportional_to_the_weights()
    {
        // 8 edges with weights from 1/√12 to 1, keep 4. Over T draws each edge's frequency is
        // within 4.5 binomial standard deviations of its exact inclusion probability (a correct
        // sampler fails this with probability < 1e-4 over the 8 edges; the stream is fixed, so
        // the test is deterministic). Uniform sampling (π = 0.5 for all) would miss by > 10σ.
        const int trials = 20_000;
        var pruning = new DegreeSensitivePruning(Matrix(4, 4, Small), 0.5f);
        var exact = InclusionProbabilities(pruning.Weights, pruning.KeptEdges);
        var counts = new int[Small.Length];
        var rng = Rng.ForStream(1, "pruning-test");
        for (int t = 0; t < trials; t++)
            foreach (int e in pruning.SampleEdges(rng)) counts[e]++;
        for (int e = 0; e < counts.Length; e++)
        {
            double sigma = Math.Sqrt(exact[e] * (1 - exact[e]) / trials);
            Assert.InRange(counts[e] / (double)trials, exact[e] - 4.5 * sigma, exact[e] + 4.5 * sigma);
        }
        Assert.True(exact.Max() - exact.Min() > 0.2, "the weights must be uneven enough to tell samplers apart");
    }

    [Fact]
    public void A_drop_rate_outside_zero_to_one_is_rejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new DegreeSensitivePruning(Matrix(4, 4, Small), 1f));
}
