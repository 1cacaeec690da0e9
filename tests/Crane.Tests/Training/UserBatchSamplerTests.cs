using Crane.Data;
using Crane.Numerics;
using Crane.Training;

namespace Crane.Tests.Training;

public class UserBatchSamplerTests
{
    static Dataset WithColdUser()
    {
        var data = TinyData.Build(users: 7);
        // User 6 keeps its valid and test rows but loses its training rows.
        var keep = Enumerable.Range(0, data.Train.Count).Where(e => data.Train.Users[e] != 6).ToArray();
        return new Dataset
        {
            Name = data.Name, UserCount = data.UserCount, ItemCount = data.ItemCount,
            Train = new Interactions(keep.Select(e => data.Train.Users[e]).ToArray(), keep.Select(e => data.Train.Items[e]).ToArray()),
            Valid = data.Valid, Test = data.Test, UserIds = data.UserIds, ItemIds = data.ItemIds,
        };
    }

    [Fact]
    public void Each_epoch_holds_every_training_user_once_in_batches_of_the_given_size()
    {
        var sampler = new UserBatchSampler(WithColdUser(), 4, Rng.ForStream(1, "users"));

        var batches = sampler.Epoch().ToList();

        Assert.Equal(2, sampler.BatchesPerEpoch);
        Assert.Equal([4, 2], batches.Select(b => b.Users.Length));
        Assert.Equal([0, 1, 2, 3, 4, 5], batches.SelectMany(b => b.Users).Order());
        Assert.All(batches, b => Assert.Empty(b.Positives));
    }

    [Fact]
    public void The_order_is_reshuffled_each_epoch_and_fixed_by_the_seed()
    {
        var data = TinyData.Build(users: 40);
        var a = new UserBatchSampler(data, 64, Rng.ForStream(5, "users"));
        var b = new UserBatchSampler(data, 64, Rng.ForStream(5, "users"));

        var a1 = a.Epoch().Single().Users;
        var a2 = a.Epoch().Single().Users;

        Assert.Equal(a1, b.Epoch().Single().Users);
        Assert.NotEqual(a1, a2);
    }
}
