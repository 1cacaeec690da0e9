using Crane.Data;
using Crane.Models;
using Crane.Numerics;

namespace Crane.Training;

/// <summary>
/// Batches of distinct users for models that train on whole user rows (<see cref="BatchKind.Users"/>):
/// every user with at least one training interaction once per epoch, in a fresh shuffled order.
/// </summary>
public sealed class UserBatchSampler
{
    readonly int[] _users;
    readonly int _batchSize;
    readonly Rng _rng;

    /// <summary>A sampler over <paramref name="data"/>'s training users.</summary>
    public UserBatchSampler(Dataset data, int batchSize, Rng rng)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var rows = data.TrainMatrix.RowPtr;
        _users = Enumerable.Range(0, data.UserCount).Where(u => rows[u + 1] > rows[u]).ToArray();
        _batchSize = batchSize;
        _rng = rng;
    }

    /// <summary>Batches in one epoch.</summary>
    public int BatchesPerEpoch => (_users.Length + _batchSize - 1) / _batchSize;

    /// <summary>One epoch's batches; each call reshuffles.</summary>
    public IEnumerable<TrainingBatch> Epoch()
    {
        var order = (int[])_users.Clone();
        _rng.Shuffle<int>(order);
        for (int start = 0; start < order.Length; start += _batchSize)
            yield return new TrainingBatch(order[start..Math.Min(order.Length, start + _batchSize)], [], []);
    }
}
