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
/// Settings: <see cref="FreedomSettings"/>.
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

    /// <summary>A freshly initialised model for <paramref name="data"/> (default settings unless given); draws from the "init" stream of <paramref name="seed"/>.</summary>
    public Freedom(Dataset data, FreedomSettings? settings = null, ulong seed = 999) : this(data, (settings ?? new()).ToModelSettings(), seed) { }

    /// <summary>The same from <c>--set</c> key=value pairs (<see cref="FreedomSettings"/> names the keys).</summary>
    public Freedom(Dataset data, ModelSettings settings, ulong seed)
    {
        Settings = ModelOptions.Read<FreedomSettings>(settings, Name);
        int d = Settings.EmbeddingSize;
        _regWeight = Settings.RegWeight;
        _graphs = new FreedomGraphs(data, Settings, Name);

        _users = data.UserCount;
        _itemRows = Triples.Shift(Enumerable.Range(0, data.ItemCount).ToArray(), _users);
        var init = Rng.ForStream(seed, "init");
        _embedding = IdEmbedding.Create(data, d, init);
        _features = _graphs.TrainableFeatures();
        _project = _graphs.Modalities.Select((m, i) => new Linear(_features[i].Cols, d, init, $"project.{m}")).ToArray();
    }

    /// <summary>The settings it was built with.</summary>
    public FreedomSettings Settings { get; }

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

/// <summary>FREEDOM's settings: the shared item-graph ones and these.</summary>
public sealed record FreedomSettings : FreedomGraphSettings
{
    /// <summary>d, the ID embedding width (<c>embedding_size</c>).</summary>
    [Setting("embedding_size", Min = 1, Max = SettingLimits.Width, Why = SettingLimits.WidthWhy)] public int EmbeddingSize { get; init; } = 64;

    /// <summary>λ, the weight of the per-modality BPR terms on the projected features (<c>reg_weight</c>).</summary>
    [Setting("reg_weight", Min = 0)] public float RegWeight { get; init; } = 1e-4f;
}
