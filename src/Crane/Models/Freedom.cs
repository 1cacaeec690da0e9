using Crane.Autograd;
using Crane.Data;
using Crane.Numerics;

namespace Crane.Models;

/// <summary>
/// FREEDOM (baselines.md): ID embeddings E; h = S·E_I (<c>n_mm_layers</c> products with the
/// frozen raw-feature item graph S of <see cref="FreedomGraphs"/>, on the <b>ID</b> item rows);
/// ē = LightGCN layer mean on this epoch's degree-pruned graph (the full Â for scoring);
/// user = ē_u, item = ē_i + h_i. Trainable raw features, each projected f_m(X^m) = X^m·W_m + b_m.
/// Loss BPR(ē_u, item⁺, item⁻) + λ·Σₘ BPR(ē_u, f_m(x_i⁺), f_m(x_i⁻)); no L2.
/// Settings: <c>embedding_size</c> (64), <c>reg_weight</c> (λ, 1e-4), and <see cref="FreedomGraphs"/>'s.
/// </summary>
public sealed class Freedom : InnerProductRecommender
{
    /// <summary>The catalog name.</summary>
    public const string Name = "freedom";

    readonly int _users;
    readonly int[] _itemRows;
    readonly float _regWeight;
    readonly FreedomGraphs _graphs;
    readonly Variable _embedding;
    readonly Variable[] _features;
    readonly Linear[] _project;

    /// <summary>A freshly initialised model for <paramref name="data"/>; draws from the "init" stream of <paramref name="seed"/>.</summary>
    public Freedom(Dataset data, ModelSettings settings, ulong seed)
    {
        int d = settings.Int("embedding_size", 64, min: 1);
        _regWeight = settings.Float("reg_weight", 1e-4f, min: 0f);
        _graphs = new FreedomGraphs(data, settings, Name);
        settings.ThrowIfUnused(Name);

        _users = data.UserCount;
        _itemRows = Triples.Shift(Enumerable.Range(0, data.ItemCount).ToArray(), _users);
        var init = Rng.ForStream(seed, "init");
        _embedding = IdEmbedding.Create(data, d, init);
        _features = _graphs.TrainableFeatures();
        _project = _graphs.Modalities.Select((m, i) => new Linear(_features[i].Cols, d, init, $"project.{m}")).ToArray();
    }

    /// <inheritdoc />
    public override string Kind => Name;

    /// <inheritdoc />
    public override IReadOnlyList<Variable> Parameters => [_embedding, .. _features, .. _project.SelectMany(l => l.Parameters)];

    /// <inheritdoc />
    public override IReadOnlyList<string> UsedModalities => _graphs.Modalities;

    /// <inheritdoc />
    public override void BeginEpoch(int epoch, Rng rng) => _graphs.BeginEpoch(rng);

    /// <summary>(ē, h): the ID layer mean over users then items, and h = S·E_I on the layer-0 item rows.</summary>
    (Variable Collaborative, Variable Content) Forward(Variable embedding, bool training) =>
        (_graphs.Collaborative(embedding, training), _graphs.PropagateItems(Ops.GatherRows(embedding, _itemRows)));

    /// <inheritdoc />
    public override Variable Loss(TrainingBatch batch)
    {
        Triples.Require(batch, Name);
        var (c, h) = Forward(_embedding, training: true);
        var users = Ops.GatherRows(c, batch.Users);
        Variable Items(int[] items) => Ops.Add(Ops.GatherRows(c, Triples.Shift(items, _users)), Ops.GatherRows(h, items));
        var loss = Losses.Bpr(users, Items(batch.Positives), Items(batch.Negatives));
        if (_regWeight == 0f) return loss;
        // Only the batch's feature rows are projected: f(X)[i] = f(X[i]) exactly.
        Variable Content(int m, int[] items) => _project[m].Apply(Ops.GatherRows(_features[m], items), p => p);
        for (int m = 0; m < _features.Length; m++)
            loss = Ops.Add(loss, Ops.Scale(Losses.Bpr(users, Content(m, batch.Positives), Content(m, batch.Negatives)), _regWeight));
        return loss;
    }

    /// <inheritdoc />
    protected override (Tensor Users, Tensor Items) ScoringTables()
    {
        var (c, h) = Forward(Variable.Constant(_embedding.Value), training: false);
        return FreedomGraphs.ScoringTables(c.Value, h.Value, _users);
    }
}
