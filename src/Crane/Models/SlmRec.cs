using Crane.Autograd;
using Crane.Data;
using Crane.Graphs;
using Crane.Numerics;
using Crane.Optim;

namespace Crane.Models;

/// <summary>
/// SLMRec (baselines.md, MMRec's version): features row-L2-normalised and projected to d by one
/// Linear per modality; K + 1 LightGCN runs (<c>n_layers</c>, layer mean on Â) sharing the user
/// table: (E_u, E_i), (E_u, proj(X^{m1})), (E_u, proj(X^{m2})), …; fusion z = W[id ; m1 ; m2 ; …] + b
/// ((K+1)·d → d), one layer for users and one for items; score ⟨z_u, z_i⟩. Main loss: in-batch
/// InfoNCE over the batch's (user, positive) pairs with cosine similarity and temperature
/// <c>temp</c> (negatives unused). SSL task FAC on the positives' propagated item rows, for
/// exactly two modalities (v = the first, t = the second): a = g1(id), b = g2(v),
/// L_v = CE(a·bᵀ/τ_ssl, diag); c = g4(g3(a)), e = g6(t), L_t = CE(c·eᵀ/τ_ssl, diag).
/// Loss = main + α·(L_v + L_t); Adam's coupled weight decay <c>weight_decay</c> on every parameter.
/// Settings: <see cref="SlmRecSettings"/>.
/// </summary>
public sealed class SlmRec : InnerProductRecommender
{
    /// <summary>The catalog name.</summary>
    public const string Name = "slmrec";

    readonly int _users, _layers;
    readonly float _temperature, _sslTemperature, _sslAlpha, _weightDecay;
    readonly string[] _modalities;
    readonly Tensor[] _features;                 // row-L2-normalised, frozen
    readonly CsrMatrix _graph;
    readonly Variable _embedding;                // E_u then E_i
    readonly Linear[] _project;                  // D_m → d
    readonly Linear _fuseUsers, _fuseItems;      // (K+1)·d → d
    readonly FacHeads? _fac;
    readonly PropagationWorkspace[] _workspaces;

    /// <summary>A freshly initialised model for <paramref name="data"/> (default settings unless given); draws from the "init" stream of <paramref name="seed"/>.</summary>
    public SlmRec(Dataset data, SlmRecSettings? settings = null, ulong seed = 999) : this(data, (settings ?? new()).ToModelSettings(), seed) { }

    /// <summary>The same from <c>--set</c> key=value pairs (<see cref="SlmRecSettings"/> names the keys).</summary>
    public SlmRec(Dataset data, ModelSettings settings, ulong seed)
    {
        Settings = ModelOptions.Read(settings, Name, new SlmRecSettings { Modalities = ModalitySelection.PaperOrder(data, "image", "text") });
        var s = Settings;
        int d = s.EmbeddingSize;
        (_layers, _temperature, _sslTemperature, _sslAlpha, _weightDecay) = (s.Layers, s.Temperature, s.SslTemperature, s.SslAlpha, s.WeightDecay);
        _modalities = ModalitySelection.Ordered(s.Modalities!, data, Name);
        if (_sslAlpha > 0f && _modalities.Length != 2)
            throw new ArgumentException(
                $"SLMRec's FAC task pairs the ID view with a first modality and then a second (baselines.md), so with ssl_alpha={_sslAlpha} it needs exactly two modalities, " +
                $"not {_modalities.Length} ({string.Join(", ", _modalities)}). Choose two with --set modalities=a,b, or pass ssl_alpha=0 to train without FAC.");

        _users = data.UserCount;
        _graph = UserItemGraph.NormalizedAdjacency(data);
        _features = _modalities.Select(m => Normalised(data.Modalities[m])).ToArray();
        var init = Rng.ForStream(seed, "init");
        _embedding = IdEmbedding.Create(data, d, init);
        Func<Tensor, Rng, Tensor> xavier = (w, r) => Init.XavierUniform(w, r);
        _project = _modalities.Select((m, k) => new Linear(_features[k].Cols, d, init, $"project.{m}", xavier)).ToArray();
        int fused = (_modalities.Length + 1) * d;
        _fuseUsers = new Linear(fused, d, init, "fuse_users", xavier);
        _fuseItems = new Linear(fused, d, init, "fuse_items", xavier);
        _fac = _sslAlpha > 0f ? new FacHeads(d, init, xavier) : null;
        _workspaces = Enumerable.Range(0, _modalities.Length + 1).Select(_ => new PropagationWorkspace()).ToArray();
    }

    /// <summary>The settings it was built with.</summary>
    public SlmRecSettings Settings { get; }

    /// <inheritdoc />
    public override string Kind => Name;

    /// <inheritdoc />
    public override IReadOnlyList<Variable> Parameters =>
        [_embedding, .. _project.SelectMany(l => l.Parameters), .. _fuseUsers.Parameters, .. _fuseItems.Parameters, .. _fac?.Parameters ?? []];

    /// <inheritdoc />
    public override IReadOnlyList<string> UsedModalities => _modalities;

    /// <inheritdoc />
    public override float AdamL2Penalty => _weightDecay;

    /// <summary>The layer-0 tables of the K + 1 views: E, then [E_u ; X^m·W_m + b_m] per modality.</summary>
    Variable[] Views(Func<Variable, Variable> read)
    {
        var embedding = read(_embedding);
        var users = Ops.SliceRows(embedding, 0, _users);
        return [embedding, .. _project.Select((p, k) => Ops.ConcatRows(users, p.Apply(Variable.Constant(_features[k]), read)))];
    }

    /// <inheritdoc />
    public override Variable Loss(TrainingBatch batch)
    {
        Triples.Require(batch, Name);
        // Only the batch's users and positives are read, so each run's last layer is computed at those nodes (exact).
        var at = BatchNodes.Of(_graph.Rows, batch.Users, Triples.Shift(batch.Positives, _users));
        var views = Views(p => p).Select((e0, v) => Propagation.LayerMeanAt(_graph, e0, _layers, at.Nodes, transposed: _graph, _workspaces[v])).ToArray();
        var userViews = views.Select(v => Ops.GatherRows(v, at.Positions[0])).ToArray();
        var itemViews = views.Select(v => Ops.GatherRows(v, at.Positions[1])).ToArray();
        var z = (Users: _fuseUsers.Apply(Ops.ConcatColumns(userViews), p => p), Items: _fuseItems.Apply(Ops.ConcatColumns(itemViews), p => p));
        var loss = Losses.InfoNce(z.Users, z.Items, _temperature);
        if (_fac is null) return loss;
        return Ops.Add(loss, Ops.Scale(_fac.Loss(itemViews[0], itemViews[1], itemViews[2], _sslTemperature), _sslAlpha));
    }

    /// <inheritdoc />
    protected override (Tensor Users, Tensor Items) ScoringTables()
    {
        var views = Views(p => Variable.Constant(p.Value)).Select(e0 => Propagation.LayerMean(_graph, e0.Value, _layers)).ToArray();
        var split = views.Select(v => IdEmbedding.Split(v, _users)).ToArray();
        Tensor Fuse(Linear fuse, Func<(Tensor Users, Tensor Items), Tensor> side) =>
            fuse.Apply(Ops.ConcatColumns(split.Select(s => Variable.Constant(side(s))).ToArray()), p => Variable.Constant(p.Value)).Value;
        return (Fuse(_fuseUsers, s => s.Users), Fuse(_fuseItems, s => s.Items));
    }

    static Tensor Normalised(Tensor x)
    {
        var y = x.ZerosLike();
        RowOps.L2Normalize(x, y);
        return y;
    }

    /// <summary>FAC's projection heads (MMRec's names in brackets): g1 [g_i_iv], g2 [g_v_iv], g3 [g_iv_iva], g4 [g_iva_ivat], g6 [g_t_ivat].</summary>
    sealed class FacHeads(int d, Rng init, Func<Tensor, Rng, Tensor> weightInit)
    {
        readonly Linear _g1 = new(d, d, init, "fac.g_i_iv", weightInit), _g2 = new(d, d, init, "fac.g_v_iv", weightInit),
            _g3 = new(d, d, init, "fac.g_iv_iva", weightInit), _g4 = new(d, d / 2, init, "fac.g_iva_ivat", weightInit),
            _g6 = new(d, d / 2, init, "fac.g_t_ivat", weightInit);

        public IEnumerable<Variable> Parameters => [.. _g1.Parameters, .. _g2.Parameters, .. _g3.Parameters, .. _g4.Parameters, .. _g6.Parameters];

        /// <summary>L_v + L_t on the positives' propagated item rows of the ID, first and second modality views.</summary>
        public Variable Loss(Variable id, Variable v, Variable t, float temperature)
        {
            Variable G(Linear g, Variable x) => g.Apply(x, p => p);
            var a = G(_g1, id);
            var fine = Losses.InBatchCrossEntropy(a, G(_g2, v), temperature);
            var coarse = Losses.InBatchCrossEntropy(G(_g4, G(_g3, a)), G(_g6, t), temperature);
            return Ops.Add(fine, coarse);
        }
    }
}

/// <summary>SLMRec's settings.</summary>
public sealed record SlmRecSettings : ModelOptions
{
    /// <summary>d, the embedding width (<c>embedding_size</c>).</summary>
    [Setting("embedding_size", Min = 1, Max = SettingLimits.Width, Why = SettingLimits.WidthWhy)] public int EmbeddingSize { get; init; } = 64;

    /// <summary>LightGCN layers per view (<c>n_layers</c>).</summary>
    [Setting("n_layers", Min = 0, Max = SettingLimits.Layers, Why = SettingLimits.LayersWhy)] public int Layers { get; init; } = 3;

    /// <summary>The temperature of the in-batch InfoNCE (<c>temp</c>).</summary>
    [Setting("temp", Above = 0)] public float Temperature { get; init; } = 0.2f;

    /// <summary>τ_ssl of the FAC task (<c>ssl_temp</c>).</summary>
    [Setting("ssl_temp", Above = 0)] public float SslTemperature { get; init; } = 0.2f;

    /// <summary>α, the weight of FAC (<c>ssl_alpha</c>; 0 drops FAC and allows any number ≥ 1 of modalities).</summary>
    [Setting("ssl_alpha", Min = 0)] public float SslAlpha { get; init; } = 0.1f;

    /// <summary>Adam's weight decay (<c>weight_decay</c>).</summary>
    [Setting("weight_decay", Min = 0)] public float WeightDecay { get; init; } = 1e-4f;

    /// <summary>The views, in this order (<c>modalities</c>; null: the dataset's, image and text first, then the others by name).</summary>
    [Setting("modalities")] public string? Modalities { get; init; }
}
