using Crane.Evaluation;

namespace Crane.Training;

/// <summary>How the <see cref="Trainer"/> runs (protocol.md's defaults).</summary>
/// <param name="Epochs">Most epochs to train (1000).</param>
/// <param name="Patience">Stop after this many validation evaluations without a better selection metric (20).</param>
/// <param name="LearningRate">Adam's step size (1e-3).</param>
/// <param name="BatchSize">BPR triples per step (2048).</param>
/// <param name="UserBatchSize">Users per step for models that train on whole user rows (512).</param>
/// <param name="Seed">Seed of the sampling and per-epoch random streams (999).</param>
/// <param name="MmrecReport">
/// Also score the test set after every epoch and record it in the history, labelled as MMRec's
/// per-epoch test line. For comparison only: it never takes part in selecting the epoch.
/// </param>
/// <param name="Evaluation">Cut-offs and user batch size of each evaluation.</param>
public sealed record TrainerOptions(
    int Epochs = 1000,
    int Patience = 20,
    float LearningRate = 1e-3f,
    int BatchSize = 2048,
    int UserBatchSize = 512,
    ulong Seed = 999,
    bool MmrecReport = false,
    EvaluationOptions? Evaluation = null)
{
    /// <summary>The validation metric that selects the epoch.</summary>
    public const string SelectionMetric = "recall@20";

    /// <summary>Throws <see cref="ArgumentException"/> when a value is out of range.</summary>
    public void Validate()
    {
        if (Epochs < 1) throw new ArgumentException($"Epochs must be at least 1, got {Epochs}.");
        if (Patience < 1) throw new ArgumentException($"Patience must be at least 1, got {Patience}.");
        if (!(LearningRate > 0) || !float.IsFinite(LearningRate)) throw new ArgumentException($"The learning rate must be a positive number, got {LearningRate}.");
        if (BatchSize < 1) throw new ArgumentException($"The batch size must be at least 1, got {BatchSize}.");
        if (UserBatchSize < 1) throw new ArgumentException($"The user batch size must be at least 1, got {UserBatchSize}.");
    }
}
