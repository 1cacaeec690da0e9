using Crane.Autograd;
using Crane.Data;
using Crane.Graphs;
using Crane.Numerics;
using Crane.Optim;

namespace Crane.Models;

/// <summary>
/// LGMRec (baselines.md) for any number of modalities m (ordinal name order). Frozen raw
/// features X_m; W_m (D_m×d) and hyperedge matrices H_m (D_m×H), no biases.
/// Collaborative C = LightGCN layer mean on Â (<c>n_ui_layers</c>). Local: F_m = X_m W_m for items,
/// users the mean of their training items' F_m, propagated <c>n_mm_layers</c> times on Â (last
/// layer) → M_m; L = C + Σ_m rownorm(M_m). Global: Π^I_m = GumbelSoftmax_τ(X_m H_m),
/// Π^U_m = GumbelSoftmax_τ(R·X_m H_m) (dropout 1 − keep_rate in training); per hypergraph layer
/// Z = Π^Iᵀ C_I, items Π^I Z, users Π^U Z; G = Σ_m [u_m ; i_m]. Final = L + α·rownorm(G).
/// Loss BPR + cl_weight·Σ_{pairs a&lt;b}[InfoNCE(u_a[batch] vs all u_b) + InfoNCE(i_a[pos] vs all i_b)]
/// (cosine, τ, summed over the batch) + reg_weight·EmbLoss(final rows).
/// </summary>
public sealed class LgmRec : InnerProductRecommender
{
    /// <summary>The catalog name.</summary>
    public const string Name = "lgmrec";

    readonly int _users, _items, _uiLayers, _mmLayers, _hyperLayers;
    readonly float _keepRate, _alpha, _clWeight, _regWeight, _tau;
    readonly bool _mmrecQuirks;
    readonly ulong _seed;
    readonly string[] _modalities;
    readonly CsrMatrix _adjacency;                 // Â
    readonly UserAggregation _mean;                // users: mean of their training items; TrainMatrix = binary R
    readonly Variable _embedding;                  // E^{id}, users then items
    readonly Variable[] _features, _w, _hyper;     // X_m (constant), W_m, H_m
    Rng _gumbel, _dropout;

    /// <summary>A freshly initialised model for <paramref name="data"/> (default settings unless given); draws from the "init" stream of <paramref name="seed"/>.</summary>
    public LgmRec(Dataset data, LgmRecSettings? settings = null, ulong seed = 999) : this(data, (settings ?? new()).ToModelSettings(), seed) { }

    /// <summary>The same from <c>--set</c> key=value pairs (<see cref="LgmRecSettings"/> names the keys).</summary>
    public LgmRec(Dataset data, ModelSettings settings, ulong seed)
    {
        Settings = ModelOptions.Read<LgmRecSettings>(settings, Name);
        var s = Settings;
        int d = s.EmbeddingSize, hyperedges = s.Hyperedges;
        (_uiLayers, _mmLayers, _hyperLayers) = (s.UserItemLayers, s.ModalityLayers, s.HyperLayers);
        (_keepRate, _alpha, _clWeight, _regWeight, _tau, _mmrecQuirks) = (s.KeepRate, s.Alpha, s.ClWeight, s.RegWeight, s.Temperature, s.MmrecQuirks);
        _modalities = ModalitySelection.Select(s.Modalities!, data.Modalities.Keys, Name);

        (_users, _items, _seed) = (data.UserCount, data.ItemCount, seed);
        _adjacency = UserItemGraph.NormalizedAdjacency(data);
        var init = Rng.ForStream(seed, "init");
        _mean = new UserAggregation(Aggregation.Mean, data, d, init);
        _embedding = IdEmbedding.Create(data, d, init);
        _features = _modalities.Select(m => Variable.Constant(data.Modalities[m])).ToArray();
        _w = _modalities.Select((m, i) => Variable.Parameter(Init.XavierUniform(new Tensor(_features[i].Cols, d), init), $"trs.{m}")).ToArray();
        _hyper = _modalities.Select((m, i) => Variable.Parameter(Init.XavierUniform(new Tensor(_features[i].Cols, hyperedges), init), $"hyper.{m}")).ToArray();
        _gumbel = Rng.ForStream(seed, "gumbel");
        _dropout = Rng.ForStream(seed, "dropout");
    }

    /// <summary>The settings it was built with.</summary>
    public LgmRecSettings Settings { get; }

    /// <inheritdoc />
    public override string Kind => Name;

    /// <summary>The contrastive weight <c>cl_weight</c>.</summary>
    internal float ContrastiveWeight => _clWeight;

    /// <inheritdoc />
    public override IReadOnlyList<Variable> Parameters => [_embedding, .. _w, .. _hyper];

    /// <inheritdoc />
    public override IReadOnlyList<string> UsedModalities => _modalities;

    /// <summary>This epoch's Gumbel noise and dropout masks come from the "gumbel" and "dropout" streams forked from the trainer's epoch stream.</summary>
    public override void BeginEpoch(int epoch, Rng rng) => (_gumbel, _dropout) = (rng.Fork("gumbel"), rng.Fork("dropout"));

    /// <summary>
    /// The final rows, the collaborative rows C, the local rows L = C + Σ_m rownorm(M_m) and, per
    /// modality, the hypergraph user rows u_m (M×d) and item rows i_m (N×d).
    /// </summary>
    internal sealed record Output(Variable Final, Variable Collaborative, Variable Local, Variable[] HyperUsers, Variable[] HyperItems);

    /// <inheritdoc />
    public override Variable Loss(TrainingBatch batch)
    {
        Triples.Require(batch, Name);
        var output = Forward(p => p, _gumbel, _dropout);
        var (u, i, j) = BatchRows(output, batch);
        var loss = Losses.Bpr(u, i, j);
        if (_clWeight != 0f)
            loss = Ops.Add(loss, Ops.Scale(Contrastive(output, batch), _clWeight));
        return _regWeight == 0f ? loss : Ops.Add(loss, Ops.Scale(Losses.Emb(u, i, j), _regWeight));
    }

    /// <summary>The final rows of the batch's users, positives and negatives.</summary>
    internal (Variable Users, Variable Positives, Variable Negatives) BatchRows(Output output, TrainingBatch batch) =>
        (Ops.GatherRows(output.Final, batch.Users), Ops.GatherRows(output.Final, Triples.Shift(batch.Positives, _users)),
         Ops.GatherRows(output.Final, Triples.Shift(batch.Negatives, _users)));

    /// <summary>
    /// Σ over modality pairs a &lt; b (every pair; the one pair v, t of MMRec for two) of
    /// InfoNCE(u_a[batch users] vs every u_b) + InfoNCE(i_a[positives] vs every i_b), each summed over the batch.
    /// </summary>
    internal Variable Contrastive(Output output, TrainingBatch batch)
    {
        Variable? total = null;
        int rows = batch.Users.Length;
        for (int a = 0; a < _modalities.Length; a++)
            for (int b = a + 1; b < _modalities.Length; b++)
            {
                var (ua, ub, ia, ib) = (output.HyperUsers[a], output.HyperUsers[b], output.HyperItems[a], output.HyperItems[b]);
                var pair = Ops.Add(
                    Losses.InfoNce(Ops.GatherRows(ua, batch.Users), Ops.GatherRows(ub, batch.Users), ub, _tau),
                    Losses.InfoNce(Ops.GatherRows(ia, batch.Positives), Ops.GatherRows(ib, batch.Positives), ib, _tau));
                total = total is null ? pair : Ops.Add(total, pair);
            }
        return Ops.Scale(total ?? Variable.Constant(Tensor.Scalar(0f)), rows);   // MMRec sums over the batch
    }

    /// <summary>
    /// Scores from the current parameters: the noiseless soft assignment softmax(logits/τ) and no
    /// dropout; with <c>mmrec_quirks=true</c> Gumbel noise as in training, from a fresh
    /// "gumbel-eval" stream (so scores still depend on the parameters and seed alone).
    /// </summary>
    protected override (Tensor Users, Tensor Items) ScoringTables()
    {
        var noise = _mmrecQuirks ? Rng.ForStream(_seed, "gumbel-eval") : null;
        var final = Forward(p => Variable.Constant(p.Value), noise, dropout: null).Final.Value;
        return IdEmbedding.Split(final, _users);
    }

    /// <summary>
    /// Π^I_m (N×H) and Π^U_m (M×H) of modality <paramref name="m"/>: the soft (Gumbel-)softmax
    /// over hyperedges of X_m H_m and R·X_m H_m, before dropout.
    /// </summary>
    internal (Variable Items, Variable Users) Assignments(int m, Func<Variable, Variable> read, Rng? noise)
    {
        var itemLogits = Ops.MatMul(_features[m], read(_hyper[m]));                 // X_m H_m
        var userLogits = Ops.SpMM(_mean.TrainMatrix, itemLogits);                   // R·(X_m H_m), a sum
        return (GumbelSoftmax.Apply(itemLogits, _tau, noise), GumbelSoftmax.Apply(userLogits, _tau, noise));
    }

    internal Output Forward(Func<Variable, Variable> read, Rng? noise, Rng? dropout)
    {
        var c = Propagation.LayerMean(_adjacency, read(_embedding), _uiLayers, transposed: _adjacency);   // C
        var cItems = Ops.SliceRows(c, _users, _items);
        var local = c;
        Variable? global = null;
        var (hyperUsers, hyperItems) = (new Variable[_modalities.Length], new Variable[_modalities.Length]);
        for (int m = 0; m < _modalities.Length; m++)
        {
            var f = Ops.MatMul(_features[m], read(_w[m]));                                               // F_m = X_m W_m
            var mm = Ops.ConcatRows(_mean.Apply(f), f);
            for (int l = 0; l < _mmLayers; l++) mm = Ops.SpMM(_adjacency, mm, transposed: _adjacency);   // M_m
            local = Ops.Add(local, Ops.L2Normalize(mm));

            var (pi, pu) = Assignments(m, read, noise);
            if (dropout is not null) (pi, pu) = (GumbelSoftmax.Dropout(pi, _keepRate, dropout), GumbelSoftmax.Dropout(pu, _keepRate, dropout));
            (hyperUsers[m], hyperItems[m]) = Hypergraph(pi, pu, cItems);
            var g = Ops.ConcatRows(hyperUsers[m], hyperItems[m]);
            global = global is null ? g : Ops.Add(global, g);
        }
        var final = Ops.Add(local, Ops.Scale(Ops.L2Normalize(global!), _alpha));
        return new Output(final, c, local, hyperUsers, hyperItems);
    }

    /// <summary>n_hyper layers of Z = Π^Iᵀ x_I, x_I ← Π^I Z, users Π^U Z (the last layer's Z).</summary>
    (Variable Users, Variable Items) Hypergraph(Variable itemAssignment, Variable userAssignment, Variable cItems)
    {
        var items = cItems;
        Variable users = null!;
        for (int l = 0; l < _hyperLayers; l++)
        {
            var z = Ops.MatMul(itemAssignment, items, transA: true);   // H×d
            items = Ops.MatMul(itemAssignment, z);
            users = Ops.MatMul(userAssignment, z);
        }
        return (users, items);
    }
}

/// <summary>LGMRec's settings.</summary>
public sealed record LgmRecSettings : ModelOptions
{
    /// <summary>d, the embedding width (<c>embedding_size</c>).</summary>
    [Setting("embedding_size", Min = 1, Max = SettingLimits.Width, Why = SettingLimits.WidthWhy)] public int EmbeddingSize { get; init; } = 64;

    /// <summary>H, the hyperedges per modality (<c>hyper_num</c>).</summary>
    [Setting("hyper_num", Min = 1, Max = SettingLimits.Components, Why = SettingLimits.ComponentsWhy)] public int Hyperedges { get; init; } = 4;

    /// <summary>LightGCN layers of the collaborative part (<c>n_ui_layers</c>).</summary>
    [Setting("n_ui_layers", Min = 0, Max = SettingLimits.Layers, Why = SettingLimits.LayersWhy)] public int UserItemLayers { get; init; } = 2;

    /// <summary>Layers of the local modality graph (<c>n_mm_layers</c>).</summary>
    [Setting("n_mm_layers", Min = 0, Max = SettingLimits.Layers, Why = SettingLimits.LayersWhy)] public int ModalityLayers { get; init; } = 2;

    /// <summary>Layers of the global hypergraph (<c>n_hyper_layer</c>).</summary>
    [Setting("n_hyper_layer", Min = 1, Max = SettingLimits.Layers, Why = SettingLimits.LayersWhy)] public int HyperLayers { get; init; } = 1;

    /// <summary>The share of hypergraph entries kept by dropout (<c>keep_rate</c>).</summary>
    [Setting("keep_rate", Above = 0, Max = 1)] public float KeepRate { get; init; } = 0.5f;

    /// <summary>α, the weight of the global embeddings (<c>alpha</c>).</summary>
    [Setting("alpha", Min = 0)] public float Alpha { get; init; } = 0.3f;

    /// <summary>The weight of the hypergraph InfoNCE (<c>cl_weight</c>).</summary>
    [Setting("cl_weight", Min = 0)] public float ClWeight { get; init; } = 1e-4f;

    /// <summary>λ of the L2 term (<c>reg_weight</c>).</summary>
    [Setting("reg_weight", Min = 0)] public float RegWeight { get; init; } = 1e-6f;

    /// <summary>τ of the InfoNCE (<c>tau</c>).</summary>
    [Setting("tau", Above = 0)] public float Temperature { get; init; } = 0.2f;

    /// <summary>Reproduce MMRec's implementation quirks (<c>mmrec_quirks</c>; docs/models.md).</summary>
    [Setting("mmrec_quirks")] public bool MmrecQuirks { get; init; } = false;

    /// <summary>"all" or a comma list of modalities (<c>modalities</c>).</summary>
    [Setting("modalities")] public string? Modalities { get; init; } = "all";
}
