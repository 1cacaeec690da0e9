using Crane.Autograd;
using Crane.Data;
using Crane.Numerics;

namespace Crane.Models;

/// <summary>How a model wants its training batches.</summary>
public enum BatchKind
{
    /// <summary>BPR triples: one uniform negative per training interaction, 2048 per batch (protocol.md).</summary>
    BprTriples,

    /// <summary>Batches of distinct users (e.g. autoencoders that reconstruct whole user rows).</summary>
    Users,
}

/// <summary>
/// The small interface every model implements: parameters, a loss for a batch, and the
/// <see cref="Scorer"/> its parameters yield. Models never read files: they get a <see cref="Dataset"/>.
/// </summary>
public abstract class Recommender
{
    /// <summary>The name users type (e.g. "bpr", "lightgcn").</summary>
    public abstract string Kind { get; }

    /// <summary>Trainable parameters, in a fixed order (saved and loaded by <see cref="Variable.Name"/>).</summary>
    public abstract IReadOnlyList<Variable> Parameters { get; }

    /// <summary>
    /// Names of the dataset modalities the model reads (keys of <see cref="Dataset.Modalities"/>);
    /// a saved model carries these feature tables and no others. Empty for id-only models.
    /// </summary>
    public virtual IReadOnlyList<string> UsedModalities => [];

    /// <summary>
    /// True when the model reads <see cref="Dataset.ItemText"/>; a saved model then carries the text.
    /// </summary>
    public virtual bool UsesItemText => false;

    /// <summary>
    /// What the model derived from its inputs that a run should record (e.g. DGVAE's word source),
    /// written into the run's manifest.json under "model". Empty for most models.
    /// </summary>
    public virtual IReadOnlyDictionary<string, string> Provenance { get; } = new Dictionary<string, string>();

    /// <summary>The batches this model trains on (the trainer's hook for non-BPR models).</summary>
    public virtual BatchKind BatchKind => BatchKind.BprTriples;

    /// <summary>
    /// The model's own Adam weight decay, applied to every parameter as <c>torch.optim.Adam</c>'s
    /// <c>weight_decay</c> (coupled L2: g ← g + λ·p; <see cref="Optim.AdamOptions.L2Penalty"/>).
    /// 0 (none) unless the model's recipe names one (e.g. SLMRec's 1e-4).
    /// </summary>
    public virtual float AdamL2Penalty => 0f;

    /// <summary>
    /// Training state beyond the parameters that a checkpoint must carry to resume bit for bit
    /// (e.g. DGVAE's step count and noise stream), as named words; the default has none.
    /// </summary>
    protected internal virtual void SaveTrainingState(IDictionary<string, ulong[]> state) { }

    /// <summary>
    /// Puts back what <see cref="SaveTrainingState"/> saved, before epoch <paramref name="nextEpoch"/>
    /// begins; throws when the model cannot resume there exactly.
    /// </summary>
    protected internal virtual void RestoreTrainingState(IReadOnlyDictionary<string, ulong[]> state, int nextEpoch) { }

    /// <summary>Called before each epoch's first batch (e.g. to refresh a graph or prune edges).</summary>
    public virtual void BeginEpoch(int epoch, Rng rng) { }

    /// <summary>
    /// The factor on the trainer's learning rate during <paramref name="epoch"/> (1-based): 1
    /// unless the model has a schedule (e.g. LATTICE's MMRec LambdaLR, 0.96^((epoch − 1)/50)).
    /// </summary>
    public virtual float LearningRateFactor(int epoch) => 1f;

    /// <summary>The factor on the learning rate of one of <see cref="Parameters"/> (1 unless the model trains some parameters slower).</summary>
    public virtual float LearningRateScale(Variable parameter) => 1f;

    /// <summary>
    /// β of an exponential moving average of the parameters that the trainer evaluates, selects
    /// and saves instead of the last step's values (<see cref="Optim.ParameterAverage"/>); 0 (none)
    /// unless the model asks for it.
    /// </summary>
    public virtual float ParameterAveraging => 0f;

    /// <summary>The differentiable loss of one batch (a 1×1 variable).</summary>
    public abstract Variable Loss(TrainingBatch batch);

    /// <summary>
    /// The scorer of the current parameters: everything scoring needs computed once (e.g. the
    /// propagated embeddings), with no autograd recording. It does not follow later training steps;
    /// create a new one after them.
    /// </summary>
    public abstract Scorer CreateScorer();
}
