using Crane.Data;
using Crane.Models;
using Crane.Numerics;

namespace Crane.Training;

/// <summary>
/// Batches of distinct users for models that train on whole user rows (<see cref="BatchKind.Users"/>):
/// every user with at least one training item once per epoch, in a shuffled order.
/// </summary>
public sealed class UserBatchSampler : BatchSampler
{
    /// <summary>Users per batch by default (DGVAE's 512).</summary>
    public const int DefaultBatchSize = 512;

    readonly int[] _users;

    /// <summary>A sampler over the users of <paramref name="data"/>'s training split.</summary>
    public UserBatchSampler(Dataset data, int batchSize = DefaultBatchSize) : base(batchSize)
    {
        ArgumentNullException.ThrowIfNull(data);
        var rowPtr = data.TrainMatrix.RowPtr;
        _users = Enumerable.Range(0, data.UserCount).Where(u => rowPtr[u + 1] > rowPtr[u]).ToArray();
    }

    /// <inheritdoc/>
    protected override int Count => _users.Length;

    /// <inheritdoc/>
    protected override TrainingBatch MakeBatch(ReadOnlySpan<int> entries, Rng rng)
    {
        var users = new int[entries.Length];
        for (int i = 0; i < entries.Length; i++) users[i] = _users[entries[i]];
        return new TrainingBatch(users, [], []);
    }
}
