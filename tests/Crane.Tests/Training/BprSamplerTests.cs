using Crane.Data;
using Crane.Models;
using Crane.Numerics;
using Crane.Training;

namespace Crane.Tests.Training;

public class BprSamplerTests
{
    /// <summary>60 users over items 0..29 in train; items 30..39 occur only in test, so they are never negatives.</summary>
    static Dataset Data()
    {
        var d = TestDatasets.Random(60, 40, seed: 21, maxTrain: 12, maxTest: 3, usedItems: 30);
        return TestDatasets.FromPairs(d.UserCount, d.ItemCount, Pairs(d.Train), test: [.. Pairs(d.Test), (0, 30), (1, 35), (2, 39)]);
    }

    [Fact]
    public void EveryInteractionOncePerEpochInFullBatches()
    {
        var data = Data();
        var sampler = new BprSampler(data, batchSize: 64);
        var batches = sampler.Epoch(new Rng(1)).ToList();

        Assert.Equal(sampler.BatchesPerEpoch, batches.Count);
        Assert.All(batches.SkipLast(1), b => Assert.Equal(64, b.Users.Length));
        Assert.InRange(batches[^1].Users.Length, 1, 64);
        var seen = batches.SelectMany(b => b.Users.Zip(b.Positives)).Order().ToArray();
        Assert.Equal(Pairs(data.Train).Order().ToArray(), seen);
        // Shuffled: not in the file's order.
        Assert.NotEqual(Pairs(data.Train), batches.SelectMany(b => b.Users.Zip(b.Positives)).ToArray());
    }

    [Fact]
    public void NegativesAreTrainingItemsTheUserHasNotSeen()
    {
        var data = Data();
        var seen = data.Train.Users.Zip(data.Train.Items).ToHashSet();
        var trainItems = data.Train.Items.ToHashSet();
        var sampler = new BprSampler(data, batchSize: 50);
        Assert.Equal(trainItems.Order(), sampler.NegativePool);
        var rng = new Rng(2);
        for (int epoch = 0; epoch < 20; epoch++)
            foreach (var b in sampler.Epoch(rng))
                for (int i = 0; i < b.Users.Length; i++)
                {
                    Assert.DoesNotContain((b.Users[i], b.Negatives[i]), seen);
                    Assert.Contains(b.Negatives[i], trainItems);
                }
    }

    [Fact]
    public void SameGeneratorStateSameBatches()
    {
        var sampler = new BprSampler(Data(), batchSize: 100);
        var a = Flatten(sampler.Epoch(Rng.ForStream(7, "sampler")));
        var b = Flatten(sampler.Epoch(Rng.ForStream(7, "sampler")));
        var c = Flatten(sampler.Epoch(Rng.ForStream(8, "sampler")));
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);

        // One stream across epochs: each epoch reshuffles and resamples.
        var rng = Rng.ForStream(7, "sampler");
        var first = Flatten(sampler.Epoch(rng));
        var second = Flatten(sampler.Epoch(rng));
        Assert.Equal(a, first);
        Assert.NotEqual(first, second);
    }

    /// <summary>
    /// Users 0..399 have training items {0..4}; user 400 has {5..24}. So users 0..399 must draw
    /// negatives uniformly from the 20 items 5..24, and user 400 from the 5 items 0..4. Pearson's
    /// χ² of the counts is checked against its 1 − 10⁻⁶ quantile (Wilson–Hilferty): 64.4 for
    /// 19 degrees of freedom, 35.2 for 4; a sampler that skewed or skipped an item would exceed it.
    /// </summary>
    [Fact]
    public void NegativesAreUniform()
    {
        var train = new List<(int, int)>();
        for (int u = 0; u < 400; u++) train.AddRange(Enumerable.Range(0, 5).Select(i => (u, i)));
        train.AddRange(Enumerable.Range(5, 20).Select(i => (400, i)));
        var sampler = new BprSampler(TestDatasets.FromPairs(401, 25, [.. train]));
        var (many, one) = (new long[25], new long[25]);
        var rng = new Rng(3);
        for (int epoch = 0; epoch < 10; epoch++)
            foreach (var b in sampler.Epoch(rng))
                for (int i = 0; i < b.Users.Length; i++)
                    (b.Users[i] == 400 ? one : many)[b.Negatives[i]]++;

        Assert.Equal(20_000, many.Sum()); // 400 users × 5 interactions × 10 epochs
        Assert.InRange(ChiSquare(many.AsSpan(5, 20)), 0, 64.4);
        Assert.Equal(200, one.Sum());
        Assert.InRange(ChiSquare(one.AsSpan(0, 5)), 0, 35.2);
        Assert.Equal(0, many[..5].Sum() + one[5..].Sum());
    }

    [Fact]
    public void RejectsUserWithEveryItem()
    {
        var data = TestDatasets.FromPairs(2, 3, [(0, 0), (0, 1), (1, 0)]);
        var e = Assert.Throws<ArgumentException>(() => new BprSampler(data));
        Assert.Contains("User 0", e.Message);
    }

    [Fact]
    public void ForPicksTheSamplerOfTheBatchKind()
    {
        var data = Data();
        Assert.IsType<BprSampler>(BatchSampler.For(BatchKind.BprTriples, data));
        Assert.Equal(BprSampler.DefaultBatchSize, BatchSampler.For(BatchKind.BprTriples, data).BatchSize);
        Assert.IsType<UserBatchSampler>(BatchSampler.For(BatchKind.Users, data, 16));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BprSampler(data, 0));
    }

    static double ChiSquare(ReadOnlySpan<long> counts)
    {
        double expected = 0;
        foreach (long c in counts) expected += c;
        expected /= counts.Length;
        double chi = 0;
        foreach (long c in counts) chi += (c - expected) * (c - expected) / expected;
        return chi;
    }

    static (int, int, int)[] Flatten(IEnumerable<TrainingBatch> batches) =>
        batches.SelectMany(b => b.Users.Select((u, i) => (u, b.Positives[i], b.Negatives[i]))).ToArray();

    static (int, int)[] Pairs(Interactions pairs) => pairs.Users.Zip(pairs.Items).ToArray();
}
