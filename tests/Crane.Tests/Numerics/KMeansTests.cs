using Crane.Numerics;

namespace Crane.Tests.Numerics;

public class KMeansTests
{
    /// <summary>Rows around <paramref name="clusters"/> well-separated centres (centre c at 10·c on every axis), in a shuffled order.</summary>
    static (Tensor X, int[] Truth) Blobs(int clusters, int perCluster, int dims, ulong seed)
    {
        var rng = new Rng(seed);
        int n = clusters * perCluster;
        var truth = Enumerable.Range(0, n).Select(r => r % clusters).ToArray();
        rng.Shuffle(truth.AsSpan());
        var x = new Tensor(n, dims);
        for (int r = 0; r < n; r++)
            for (int j = 0; j < dims; j++) x[r, j] = 10f * truth[r] + 0.5f * rng.NextGaussian();
        return (x, truth);
    }

    [Fact]
    public void Separated_blobs_get_one_code_each()
    {
        var (x, truth) = Blobs(4, 30, 5, 1);
        var codes = KMeans.Codes(x, 4, 50, new Rng(2));
        // The same partition as the truth, whatever the code numbers.
        for (int a = 0; a < x.Rows; a++)
            for (int b = 0; b < x.Rows; b++)
                Assert.Equal(truth[a] == truth[b], codes[a] == codes[b]);
    }

    [Fact]
    public void Is_deterministic_and_codes_are_in_range()
    {
        var x = new Tensor(700, 6);       // more rows than one block
        new Rng(3).FillNormal(x.Data, 0f, 1f);
        var first = KMeans.Codes(x, 16, 10, new Rng(4));
        Assert.Equal(first, KMeans.Codes(x, 16, 10, new Rng(4)));
        Assert.All(first, c => Assert.InRange(c, 0, 15));
        Assert.NotEqual(first, KMeans.Codes(x, 16, 10, new Rng(5)));
    }

    [Fact]
    public void Each_row_ends_at_its_nearest_centroid()
    {
        // After convergence every row is nearest (squared Euclidean, brute force in double) to the mean of its own cluster.
        var x = new Tensor(300, 4);
        new Rng(6).FillNormal(x.Data, 0f, 1f);
        var codes = KMeans.Codes(x, 5, 200, new Rng(7));
        var means = Enumerable.Range(0, 5).Select(c => Enumerable.Range(0, 4).Select(j =>
            Enumerable.Range(0, 300).Where(r => codes[r] == c).Average(r => (double)x[r, j])).ToArray()).ToArray();
        for (int r = 0; r < 300; r++)
        {
            double Distance(int c) => Enumerable.Range(0, 4).Sum(j => Math.Pow(x[r, j] - means[c][j], 2));
            Assert.True(Distance(codes[r]) <= Enumerable.Range(0, 5).Min(Distance) + 1e-4, $"row {r}");
        }
    }

    [Fact]
    public void Bad_arguments_name_the_value()
    {
        var x = new Tensor(3, 2);
        Assert.Contains("got 4", Assert.Throws<ArgumentException>(() => KMeans.Codes(x, 4, 5, new Rng(1))).Message);
        Assert.Contains("got 0", Assert.Throws<ArgumentException>(() => KMeans.Codes(x, 2, 0, new Rng(1))).Message);
    }
}
