using Crane.Evaluation;
using Crane.Models;
using Crane.Numerics;

namespace Crane.Training;

/// <summary>
/// Remembers the epoch with the best validation score and a copy of the model's parameters at
/// that epoch, so the trainer can put them back when it stops.
/// </summary>
internal sealed class BestEpoch(Recommender model)
{
    readonly Tensor[] _saved = model.Parameters.Select(p => p.Value.Clone()).ToArray();

    /// <summary>The best epoch so far (0 before the first offer).</summary>
    public int Epoch { get; private set; }

    /// <summary>Its validation metrics.</summary>
    public MetricSet? Validation { get; private set; }

    double _score = double.NegativeInfinity;

    /// <summary>Keeps this epoch when its selection metric is strictly better (NaN never is); returns whether it did.</summary>
    public bool Offer(int epoch, MetricSet validation)
    {
        double score = validation[TrainerOptions.SelectionMetric];
        if (Validation is not null && !(score > _score)) return false;
        (_score, Epoch, Validation) = (double.IsNaN(score) ? double.NegativeInfinity : score, epoch, validation);
        for (int i = 0; i < _saved.Length; i++)
            model.Parameters[i].Value.Data.AsSpan().CopyTo(_saved[i].Data);
        return true;
    }

    /// <summary>Writes the kept parameters back into the model.</summary>
    /// <summary>The best epoch's parameters (for checkpoints).</summary>
    internal Tensor[] Saved => _saved;

    /// <summary>The selection score of the best epoch.</summary>
    internal double Score => _score;

    /// <summary>Puts back a checkpoint's best epoch (its parameters are copied into <see cref="Saved"/> by the caller).</summary>
    internal void Resume(int epoch, MetricSet? validation, double score) => (Epoch, Validation, _score) = (epoch, validation, score);

    public void Restore()
    {
        for (int i = 0; i < _saved.Length; i++)
            _saved[i].Data.AsSpan().CopyTo(model.Parameters[i].Value.Data);
    }
}
