using Crane.Evaluation;

namespace Crane.Training;

/// <summary>What one epoch did.</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Loss">Mean loss over the epoch's batches.</param>
/// <param name="TrainSeconds">Seconds spent in the epoch's optimisation steps.</param>
/// <param name="EvalSeconds">Seconds spent evaluating after the epoch (validation, and test in MMRec mode).</param>
/// <param name="Validation">Validation metrics after the epoch.</param>
/// <param name="MmrecTest">Test metrics after the epoch, only in MMRec reporting mode; never used for selection.</param>
/// <param name="IsBest">True when this epoch set a new best validation score.</param>
public sealed record EpochRecord(int Epoch, double Loss, double TrainSeconds, double EvalSeconds, MetricSet Validation, MetricSet? MmrecTest, bool IsBest);

/// <summary>The outcome of <see cref="Trainer.Train"/>.</summary>
/// <param name="History">One record per epoch run.</param>
/// <param name="BestEpoch">The epoch with the best validation Recall@20 (its parameters are the model's now).</param>
/// <param name="BestValidation">Validation metrics of <paramref name="BestEpoch"/>.</param>
/// <param name="Test">Test metrics of <paramref name="BestEpoch"/>, scored once after restoring it.</param>
/// <param name="StoppedEarly">True when patience ran out before the epoch limit.</param>
public sealed record TrainingResult(IReadOnlyList<EpochRecord> History, int BestEpoch, MetricSet BestValidation, MetricSet Test, bool StoppedEarly);

/// <summary>Progress inside an epoch, for progress bars.</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Batch">Batches done in this epoch.</param>
/// <param name="Batches">Batches expected in this epoch.</param>
public readonly record struct BatchProgress(int Epoch, int Batch, int Batches);

/// <summary>Training could not go on (e.g. the loss became NaN); the message names the epoch.</summary>
public sealed class TrainingException : Exception
{
    /// <summary>The 1-based epoch where it happened.</summary>
    public int Epoch { get; }

    /// <summary>A failure at <paramref name="epoch"/>.</summary>
    public TrainingException(int epoch, string message) : base(message) => Epoch = epoch;
}
