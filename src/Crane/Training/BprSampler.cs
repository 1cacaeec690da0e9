using Crane.Data;
using Crane.Models;
using Crane.Numerics;

namespace Crane.Training;

/// <summary>
/// protocol.md's BPR sampling: every epoch visits each training interaction once in a shuffled
/// order and pairs it with one negative drawn uniformly over the items that occur in the
/// training split, redrawn while it is one of the user's training items.
/// </summary>
public sealed class BprSampler : BatchSampler
{
    /// <summary>protocol.md's batch: 2048 interactions.</summary>
    public const int DefaultBatchSize = 2048;

    readonly Interactions _train;
    readonly CsrMatrix _seen;
    readonly int[] _pool;

    /// <summary>A sampler over <paramref name="data"/>'s training split.</summary>
    /// <exception cref="ArgumentException">A user has every training item, so no negative exists for it.</exception>
    public BprSampler(Dataset data, int batchSize = DefaultBatchSize) : base(batchSize)
    {
        ArgumentNullException.ThrowIfNull(data);
        _train = data.Train;
        _seen = data.TrainMatrix; // rows sorted and unique: membership by binary search
        _pool = ItemsInTrain(_seen);
        for (int u = 0; u < _seen.Rows; u++)
        {
            int count = _seen.RowPtr[u + 1] - _seen.RowPtr[u];
            if (count > 0 && count == _pool.Length)
                throw new ArgumentException($"User {u} has interacted with all {count} training items, so no negative item can be drawn for it.", nameof(data));
        }
    }

    /// <summary>The items negatives are drawn from (those in the training split), ascending.</summary>
    public IReadOnlyList<int> NegativePool => _pool;

    /// <inheritdoc/>
    protected override int Count => _train.Count;

    /// <inheritdoc/>
    protected override TrainingBatch MakeBatch(ReadOnlySpan<int> entries, Rng rng)
    {
        var users = new int[entries.Length];
        var positives = new int[entries.Length];
        var negatives = new int[entries.Length];
        for (int i = 0; i < entries.Length; i++)
        {
            int u = _train.Users[entries[i]];
            users[i] = u;
            positives[i] = _train.Items[entries[i]];
            negatives[i] = DrawNegative(u, rng);
        }
        return new TrainingBatch(users, positives, negatives);
    }

    int DrawNegative(int user, Rng rng)
    {
        var seen = _seen.ColIdx.AsSpan(_seen.RowPtr[user], _seen.RowPtr[user + 1] - _seen.RowPtr[user]);
        while (true)
        {
            int item = _pool[rng.NextInt(_pool.Length)];
            if (seen.BinarySearch(item) < 0) return item;
        }
    }

    static int[] ItemsInTrain(CsrMatrix train)
    {
        var present = new bool[train.Cols];
        foreach (int item in train.ColIdx) present[item] = true;
        var pool = new List<int>();
        for (int i = 0; i < present.Length; i++)
            if (present[i]) pool.Add(i);
        return [.. pool];
    }
}
