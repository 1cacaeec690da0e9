using Crane.Autograd;
using Crane.Data;
using Crane.Numerics;

namespace Crane.Models;

/// <summary>
/// crane-released (crane-spec.md §7): the authors' released code, a FREEDOM variant. Per
/// modality m (two by default, chosen by <c>modalities</c>): trainable copies of the raw
/// features X^m, V = X^v·W_v + b_v, V' = V·W_pv + b_pv (likewise T, T' for the second); one
/// 4-head self-attention (shared weights) over the projected tokens along
/// <c>attention_axis</c>; fused = mean over the modalities of the attention outputs;
/// h = S·fused with the frozen raw-feature item graph S (<see cref="FreedomGraphs"/>); c =
/// LightGCN layer mean of the ID table on this epoch's degree-pruned graph (the full Â for
/// scoring). user = c_u, item = c_i + h_i; loss BPR only.
/// Settings: <see cref="CraneReleasedSettings"/>.
/// </summary>
public sealed class CraneReleased : InnerProductRecommender
{
    /// <summary>The catalog name.</summary>
    public const string Name = "crane-released";

    readonly int _users;
    readonly AttentionAxis _axis;
    readonly FreedomGraphs _graphs;
    readonly Variable _embedding;
    readonly Variable[] _features;
    readonly Linear[] _project, _reproject;
    readonly MultiHeadAttention _attention;

    /// <summary>A freshly initialised model for <paramref name="data"/> (default settings unless given); draws from the "init" stream of <paramref name="seed"/>.</summary>
    public CraneReleased(Dataset data, CraneReleasedSettings? settings = null, ulong seed = 999) : this(data, (settings ?? new()).ToModelSettings(), seed) { }

    /// <summary>The same from <c>--set</c> key=value pairs (<see cref="CraneReleasedSettings"/> names the keys).</summary>
    public CraneReleased(Dataset data, ModelSettings settings, ulong seed)
    {
        Settings = ModelOptions.Read<CraneReleasedSettings>(settings, Name);
        int d = Settings.EmbeddingSize;
        int heads = Settings.Heads;
        _axis = Settings.AttentionAxis == "items" ? AttentionAxis.Items : AttentionAxis.Modalities;
        _graphs = new FreedomGraphs(data, Settings, Name);

        _users = data.UserCount;
        var init = Rng.ForStream(seed, "init");
        _embedding = IdEmbedding.Create(data, d, init);
        _features = _graphs.TrainableFeatures();
        var names = _graphs.Modalities;
        _project = names.Select((m, i) => new Linear(_features[i].Cols, d, init, $"project.{m}")).ToArray();
        _reproject = names.Select(m => new Linear(d, d, init, $"reproject.{m}")).ToArray();
        _attention = new MultiHeadAttention(d, heads, init);
    }

    /// <summary>The settings it was built with.</summary>
    public CraneReleasedSettings Settings { get; }

    /// <inheritdoc />
    public override string Kind => Name;

    /// <inheritdoc />
    public override IReadOnlyList<Variable> Parameters =>
        [_embedding, .. _features, .. _project.SelectMany(l => l.Parameters), .. _reproject.SelectMany(l => l.Parameters), .. _attention.Parameters];

    /// <inheritdoc />
    public override IReadOnlyList<string> UsedModalities => _graphs.Modalities;

    /// <summary>The attention axis in use.</summary>
    public AttentionAxis Axis => _axis;

    /// <inheritdoc />
    public override void BeginEpoch(int epoch, Rng rng) => _graphs.BeginEpoch(rng);

    /// <summary>
    /// (c, h): the ID layer mean over users then items, and the item content term h = S·fused.
    /// Parameters are read through <paramref name="read"/> (themselves in training, constants for scoring).
    /// </summary>
    (Variable Collaborative, Variable Content) Forward(Func<Variable, Variable> read, bool training)
    {
        var tokens = new Variable[_features.Length];
        for (int m = 0; m < tokens.Length; m++)
            tokens[m] = _reproject[m].Apply(_project[m].Apply(read(_features[m]), read), read); // V' = (X^v W_v) W_pv
        var attended = _attention.Apply(tokens, _axis, read);
        var fused = attended[0];
        for (int m = 1; m < attended.Length; m++) fused = Ops.Add(fused, attended[m]);
        fused = Ops.Scale(fused, 1f / attended.Length);
        return (_graphs.Collaborative(read(_embedding), training), _graphs.PropagateItems(fused));
    }

    /// <inheritdoc />
    public override Variable Loss(TrainingBatch batch)
    {
        Triples.Require(batch, Name);
        var (c, h) = Forward(p => p, training: true);
        Variable Items(int[] items) => Ops.Add(Ops.GatherRows(c, Triples.Shift(items, _users)), Ops.GatherRows(h, items));
        return Losses.Bpr(Ops.GatherRows(c, batch.Users), Items(batch.Positives), Items(batch.Negatives));
    }

    /// <inheritdoc />
    protected override (Tensor Users, Tensor Items) ScoringTables()
    {
        var (c, h) = Forward(p => Variable.Constant(p.Value), training: false);
        return FreedomGraphs.ScoringTables(c.Value, h.Value, _users);
    }
}

/// <summary>crane-released's settings: FREEDOM's item-graph ones and these.</summary>
public sealed record CraneReleasedSettings : FreedomGraphSettings
{
    /// <summary>d, the embedding width (<c>embedding_size</c>).</summary>
    [Setting("embedding_size", Min = 1, Max = SettingLimits.Width, Why = SettingLimits.WidthWhy)] public int EmbeddingSize { get; init; } = 64;

    /// <summary>Heads of the modality self-attention (<c>n_heads</c>).</summary>
    [Setting("n_heads", Min = 1, Max = SettingLimits.Components, Why = SettingLimits.ComponentsWhy)] public int Heads { get; init; } = 4;

    /// <summary>What the attention runs along (<c>attention_axis</c>: items, the released behaviour, or modalities).</summary>
    [Setting("attention_axis", Allowed = new[] { "items", "modalities" })] public string AttentionAxis { get; init; } = "items";
}
