using Crane.Data;
using Crane.Models;
using Crane.Numerics;

namespace Crane.Training;

/// <summary>
/// Cuts one epoch of training data into <see cref="TrainingBatch"/>es. Deterministic: the same
/// data, batch size and generator state give the same batches.
/// </summary>
public abstract class BatchSampler
{
    /// <summary>Items (BPR) or users per batch; the last batch of an epoch may be shorter.</summary>
    public int BatchSize { get; }

    /// <summary>Checks the batch size.</summary>
    protected BatchSampler(int batchSize) =>
        BatchSize = batchSize >= 1 ? batchSize : throw new ArgumentOutOfRangeException(nameof(batchSize), $"Batch size must be at least 1, got {batchSize}.");

    /// <summary>Batches per epoch.</summary>
    public int BatchesPerEpoch => (Count + BatchSize - 1) / BatchSize;

    /// <summary>What one epoch visits once each (training interactions, or users).</summary>
    protected abstract int Count { get; }

    /// <summary>
    /// One epoch's batches, drawn lazily from <paramref name="rng"/> (shuffle first, then each
    /// batch's random draws as it is produced). Pass a stream of its own, e.g.
    /// <c>Rng.ForStream(seed, "sampler")</c> kept across epochs, so that nothing else shifts it.
    /// Each batch has fresh arrays, so callers may keep them.
    /// </summary>
    public IEnumerable<TrainingBatch> Epoch(Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        return Batches(rng);
    }

    IEnumerable<TrainingBatch> Batches(Rng rng)
    {
        var order = new int[Count];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        rng.Shuffle(order.AsSpan());
        for (int start = 0; start < order.Length; start += BatchSize)
            yield return MakeBatch(order.AsSpan(start, Math.Min(BatchSize, order.Length - start)), rng);
    }

    /// <summary>The batch of the given entries (indices into what the epoch visits).</summary>
    protected abstract TrainingBatch MakeBatch(ReadOnlySpan<int> entries, Rng rng);

    /// <summary>The sampler a model's <see cref="BatchKind"/> asks for.</summary>
    /// <param name="kind">The model's batch kind.</param>
    /// <param name="data">The dataset whose training split is sampled.</param>
    /// <param name="batchSize">Batch size; null for the kind's default (BPR 2048, users 512).</param>
    public static BatchSampler For(BatchKind kind, Dataset data, int? batchSize = null) => kind switch
    {
        BatchKind.BprTriples => new BprSampler(data, batchSize ?? BprSampler.DefaultBatchSize),
        BatchKind.Users => new UserBatchSampler(data, batchSize ?? UserBatchSampler.DefaultBatchSize),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
