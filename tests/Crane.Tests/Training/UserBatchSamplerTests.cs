using Crane.Numerics;
using Crane.Training;

namespace Crane.Tests.Training;

public class UserBatchSamplerTests
{
    [Fact]
    public void EachUserWithTrainingItemsOncePerEpochShuffled()
    {
        // Users 3 and 7 have no training rows (only test rows): never in a batch.
        var train = Enumerable.Range(0, 50).Where(u => u is not 3 and not 7).Select(u => (u, u % 5)).ToArray();
        var data = TestDatasets.FromPairs(50, 5, train, test: [(3, 1), (7, 2)]);
        var sampler = new UserBatchSampler(data, batchSize: 16);
        var rng = new Rng(4);
        var first = sampler.Epoch(rng).ToList();
        var second = sampler.Epoch(rng).ToList();

        Assert.Equal(3, sampler.BatchesPerEpoch);
        Assert.Equal([16, 16, 16], first.Select(b => b.Users.Length));
        Assert.All(first, b => { Assert.Empty(b.Positives); Assert.Empty(b.Negatives); });
        var users = first.SelectMany(b => b.Users).ToArray();
        Assert.Equal(train.Select(p => p.Item1).Order(), users.Order());
        Assert.NotEqual(users, users.Order());
        Assert.NotEqual(users, second.SelectMany(b => b.Users));
        Assert.Equal(users, new UserBatchSampler(data, 16).Epoch(new Rng(4)).SelectMany(b => b.Users));
    }
}
