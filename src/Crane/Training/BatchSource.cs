using Crane.Data;
using Crane.Models;
using Crane.Numerics;

namespace Crane.Training;

/// <summary>The model's batches (its <see cref="BatchKind"/> hook) with the count per epoch, for progress.</summary>
internal sealed class BatchSource(Func<IEnumerable<TrainingBatch>> epoch, int perEpoch)
{
    /// <summary>Batches expected per epoch.</summary>
    public int PerEpoch { get; } = perEpoch;

    /// <summary>One epoch's batches.</summary>
    public IEnumerable<TrainingBatch> Epoch() => epoch();

    /// <summary>The sampler <paramref name="model"/> asks for, seeded from the trainer's seed.</summary>
    public static BatchSource For(Recommender model, Dataset data, TrainerOptions options) => model.BatchKind switch
    {
        BatchKind.BprTriples => new BatchSource(
            new BprSampler(data, options.BatchSize, Rng.ForStream(options.Seed, "bpr-sampler")).Epoch,
            (data.Train.Count + options.BatchSize - 1) / options.BatchSize),
        BatchKind.Users => FromUsers(new UserBatchSampler(data, options.UserBatchSize, Rng.ForStream(options.Seed, "user-batches"))),
        var kind => throw new ArgumentOutOfRangeException(nameof(model), kind, $"No sampler for batch kind {kind}."),
    };

    static BatchSource FromUsers(UserBatchSampler sampler) => new(sampler.Epoch, sampler.BatchesPerEpoch);
}
