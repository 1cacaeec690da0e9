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
/// Settings: <c>embedding_size</c> (64), <c>n_heads</c> (4), <c>attention_axis</c>
/// (items | modalities; items, the released behaviour), and <see cref="FreedomGraphs"/>'s.
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

    /// <summary>A freshly initialised model for <paramref name="data"/>; draws from the "init" stream of <paramref name="seed"/>.</summary>
    public CraneReleased(Dataset data, ModelSettings settings, ulong seed)
    {
        int d = settings.Int("embedding_size", 64, min: 1);
        int heads = settings.Int("n_heads", 4, min: 1);
        _axis = settings.Text("attention_axis", "items", "items", "modalities") == "items" ? AttentionAxis.Items : AttentionAxis.Modalities;
        _graphs = new FreedomGraphs(data, settings, Name);
        settings.ThrowIfUnused(Name);

        _users = data.UserCount;
        var init = Rng.ForStream(seed, "init");
        _embedding = IdEmbedding.Create(data, d, init);
        _features = _graphs.TrainableFeatures();
        var names = _graphs.Modalities;
        _project = names.Select((m, i) => new Linear(_features[i].Cols, d, init, $"project.{m}")).ToArray();
        _reproject = names.Select(m => new Linear(d, d, init, $"reproject.{m}")).ToArray();
        _attention = new MultiHeadAttention(d, heads, init);
    }

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
