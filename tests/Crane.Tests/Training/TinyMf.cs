using Crane.Autograd;
using Crane.Data;
using Crane.Models;
using Crane.Numerics;
using Crane.Optim;

namespace Crane.Tests.Training;

/// <summary>
/// A tiny BPR matrix factorisation written with the autograd ops, standing in for the real models
/// in trainer tests. It can be told to produce a NaN loss from a given epoch on.
/// </summary>
internal sealed class TinyMf : InnerProductRecommender
{
    readonly Variable _users, _items;
    int _epoch;

    public TinyMf(Dataset data, ulong seed = 7, int dimension = 8)
    {
        var rng = Rng.ForStream(seed, "init");
        _users = Variable.Parameter(Init.XavierUniform(new Tensor(data.UserCount, dimension), rng), "user_embedding");
        _items = Variable.Parameter(Init.XavierUniform(new Tensor(data.ItemCount, dimension), rng), "item_embedding");
    }

    /// <summary>From this epoch on, the loss is NaN.</summary>
    public int NanFromEpoch { get; init; } = int.MaxValue;

    /// <summary>The Adam weight decay the model asks the trainer for.</summary>
    public float L2 { get; init; }

    public override float AdamL2Penalty => L2;

    /// <summary>The learning-rate factor of each epoch (1 when null).</summary>
    public Func<int, float>? Schedule { get; init; }

    public override float LearningRateFactor(int epoch) => Schedule?.Invoke(epoch) ?? 1f;

    /// <summary>β of the parameter average the model asks the trainer for (0: none).</summary>
    public float Averaging { get; init; }

    public override float ParameterAveraging => Averaging;

    public override string Kind => "tiny-mf";

    public override IReadOnlyList<Variable> Parameters => [_users, _items];

    /// <summary>Called with the epoch number when an epoch begins.</summary>
    public Action<int>? EpochStarting { get; set; }

    public override void BeginEpoch(int epoch, Rng rng)
    {
        _epoch = epoch;
        EpochStarting?.Invoke(epoch);
    }

    public override Variable Loss(TrainingBatch batch)
    {
        var u = Ops.GatherRows(_users, batch.Users);
        var margin = Ops.Sub(Ops.RowDot(u, Ops.GatherRows(_items, batch.Positives)), Ops.RowDot(u, Ops.GatherRows(_items, batch.Negatives)));
        var loss = Ops.Scale(Ops.Mean(Ops.LogSigmoid(margin)), -1f);
        return _epoch >= NanFromEpoch ? Ops.Scale(loss, float.NaN) : loss;
    }

    protected override (Tensor Users, Tensor Items) ScoringTables() => (_users.Value.Clone(), _items.Value.Clone());

    /// <summary>A copy of every parameter's values.</summary>
    public float[][] Snapshot() => Parameters.Select(p => (float[])p.Value.Data.Clone()).ToArray();
}
