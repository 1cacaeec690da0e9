using Crane.Numerics;

namespace Crane.Tests.Numerics;

public class RngTests
{
    [Fact]
    public void Same_seed_and_stream_give_the_same_sequence()
    {
        var a = Rng.ForStream(999, "init");
        var b = Rng.ForStream(999, "init");
        for (int i = 0; i < 1000; i++) Assert.Equal(a.NextUInt64(), b.NextUInt64());
    }

    [Fact]
    public void Streams_and_seeds_are_independent()
    {
        ulong First(Rng r) => r.NextUInt64();
        var values = new[]
        {
            First(Rng.ForStream(999, "init")), First(Rng.ForStream(999, "negatives")),
            First(Rng.ForStream(1000, "init")), First(new Rng(999)),
        };
        Assert.Equal(values.Length, values.Distinct().Count());
    }

    [Fact]
    public void NextInt_is_in_range_and_uniform()
    {
        var rng = new Rng(1);
        const int bins = 10, draws = 100_000;
        var counts = new int[bins];
        for (int i = 0; i < draws; i++) counts[rng.NextInt(bins)]++;
        // χ² with 9 degrees of freedom: P(χ² > 27.9) ≈ 0.001, so a correct generator passes.
        double expected = draws / (double)bins;
        double chi2 = counts.Sum(c => (c - expected) * (c - expected) / expected);
        Assert.True(chi2 < 27.9, $"χ² = {chi2}");
        Assert.Throws<ArgumentOutOfRangeException>(() => rng.NextInt(0));
    }

    [Fact]
    public void Floats_are_in_the_unit_interval_and_gaussians_are_standard()
    {
        var rng = new Rng(2);
        const int n = 200_000;
        double sum = 0, sumSq = 0;
        for (int i = 0; i < n; i++)
        {
            float u = rng.NextFloat();
            Assert.InRange(u, 0f, 0.99999995f);
            float z = rng.NextGaussian();
            sum += z; sumSq += z * z;
        }
        // Standard errors: mean 1/√n ≈ 0.0022, variance √(2/n) ≈ 0.0032; allow ~5σ.
        Assert.InRange(sum / n, -0.012, 0.012);
        Assert.InRange(sumSq / n - (sum / n) * (sum / n), 0.984, 1.016);
    }

    [Fact]
    public void Shuffle_is_a_permutation_and_depends_on_the_seed()
    {
        int[] Shuffled(ulong seed)
        {
            var values = Enumerable.Range(0, 100).ToArray();
            new Rng(seed).Shuffle<int>(values);
            return values;
        }
        var a = Shuffled(5);
        Assert.Equal(Enumerable.Range(0, 100), a.Order());
        Assert.Equal(a, Shuffled(5));
        Assert.NotEqual(a, Shuffled(6));
    }
}
