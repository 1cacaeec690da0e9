using Crane.Experiments;
using Crane.Numerics;

namespace Crane.Tests.Experiments;

[Collection("Parallelism")]
public class TsneTests
{
    /// <summary>Three tight Gaussian clusters, far apart, in 10-D: 30 points each.</summary>
    static (Tensor Points, int[] Cluster) Clusters()
    {
        var rng = new Rng(7);
        var points = new Tensor(90, 10);
        var cluster = new int[90];
        for (int i = 0; i < 90; i++)
        {
            cluster[i] = i % 3;
            for (int c = 0; c < 10; c++) points.Row(i)[c] = (c == cluster[i] ? 20f : 0f) + rng.NextGaussian();
        }
        return (points, cluster);
    }

    static readonly TsneOptions Quick = new(Perplexity: 10, Iterations: 400, Seed: 3);

    [Fact]
    public void Well_separated_clusters_stay_separated_each_point_beside_its_own_cluster()
    {
        var (points, cluster) = Clusters();

        var y = Tsne.Embed(points, Quick);

        double Distance(double x, double yy, int j) => Math.Sqrt(Math.Pow(x - y[2 * j], 2) + Math.Pow(yy - y[2 * j + 1], 2));
        var centroids = Enumerable.Range(0, 3).Select(c => (
            X: Enumerable.Range(0, 90).Where(i => cluster[i] == c).Average(i => y[2 * i]),
            Y: Enumerable.Range(0, 90).Where(i => cluster[i] == c).Average(i => y[2 * i + 1]))).ToArray();
        for (int i = 0; i < 90; i++)
        {
            int nearest = Enumerable.Range(0, 90).Where(j => j != i).MinBy(j => Distance(y[2 * i], y[2 * i + 1], j));
            Assert.Equal(cluster[i], cluster[nearest]);
            var own = centroids[cluster[i]];
            double ownDistance = Math.Sqrt(Math.Pow(y[2 * i] - own.X, 2) + Math.Pow(y[2 * i + 1] - own.Y, 2));
            for (int c = 0; c < 3; c++)
                if (c != cluster[i])
                    Assert.True(ownDistance < Math.Sqrt(Math.Pow(y[2 * i] - centroids[c].X, 2) + Math.Pow(y[2 * i + 1] - centroids[c].Y, 2)), $"point {i} sits nearer cluster {c}'s centre");
        }
    }

    [Fact]
    public void Each_rows_affinities_have_the_entropy_of_the_perplexity()
    {
        var rng = new Rng(11);
        var distances = Enumerable.Range(0, 60).Select(_ => (double)rng.NextFloat() * 50).ToArray();
        var row = new float[60];

        Tsne.ConditionalRow(distances, self: 4, perplexity: 12, row);

        Assert.Equal(0f, row[4]);
        Assert.Equal(1.0, row.Sum(p => (double)p), 5);
        double entropy = -row.Where(p => p > 0).Sum(p => p * Math.Log(p));
        Assert.Equal(Math.Log(12), entropy, 3);
        // p falls with distance: the nearest other point gets the largest share.
        int nearest = Enumerable.Range(0, 60).Where(j => j != 4).MinBy(j => distances[j]);
        Assert.Equal(row.Max(), row[nearest]);
    }

    [Fact]
    public void The_joint_affinities_are_symmetric_and_sum_to_one()
    {
        var (points, _) = Clusters();

        var p = Tsne.JointAffinities(points, 10);

        Assert.Equal(1.0, p.Sum(v => (double)v), 3);
        for (int i = 0; i < 90; i += 7)
            for (int j = 0; j < 90; j += 5)
                Assert.Equal(p[i * 90 + j], p[j * 90 + i]);
    }

    [Fact]
    public void The_same_seed_gives_the_same_layout_for_any_thread_count()
    {
        var (points, _) = Clusters();
        int threads = Parallelism.Threads;
        try
        {
            Parallelism.Threads = 1;
            var one = Tsne.Embed(points, Quick with { Iterations = 60 });
            Parallelism.Threads = 3;
            var three = Tsne.Embed(points, Quick with { Iterations = 60 });
            var otherSeed = Tsne.Embed(points, Quick with { Iterations = 60, Seed = 4 });

            Assert.Equal(one, three);
            Assert.NotEqual(one, otherSeed);
        }
        finally { Parallelism.Threads = threads; }
    }

    [Fact]
    public void The_vector_force_pass_matches_the_scalar_one()
    {
        var (points, _) = Clusters();
        var width = Simd.Width;
        try
        {
            Simd.Width = SimdWidth.Scalar;
            var scalar = Tsne.Embed(points, Quick with { Iterations = 10 });
            Simd.Width = Simd.Best;
            var vector = Tsne.Embed(points, Quick with { Iterations = 10 });

            double scale = scalar.Max(Math.Abs);
            for (int k = 0; k < scalar.Length; k++) Assert.Equal(scalar[k], vector[k], 1e-9 * scale);
        }
        finally { Simd.Width = width; }
    }

    [Fact]
    public void Too_few_points_for_the_perplexity_is_a_clear_error()
    {
        var e = Assert.Throws<ArgumentException>(() => Tsne.Embed(new Tensor(20, 3), new TsneOptions(Perplexity: 30)));
        Assert.Contains("perplexity 30", e.Message);
        Assert.Contains("got 20", e.Message);
    }
}
