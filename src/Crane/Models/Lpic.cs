using Crane.Autograd;
using Crane.Data;
using Crane.Graphs;
using Crane.Numerics;

namespace Crane.Models;

/// <summary>
/// LPIC (reconstructed) — Liu et al., ACM TOMM 2025, "Learnable Prompts and ID-guided Contrastive
/// Learning for Multimodal Recommendation". Only the abstract is public: this is baselines.md's
/// reconstruction, not the authors' model. Items: f^m = X^m·W_m + b_m per modality m (X^m
/// row-L2-normalised unless <c>normalize_features=false</c>) and a fused
/// f^f = MLP([f^{m1} ‖ f^{m2} ‖ …]); users: per branch b (each modality and f) a learnable prompt
/// p_u^b and the interest u^b = p_u^b + mean_{i∈N_u} f_i^b. ID branch: LightGCN on the ID table;
/// branch b: LightGCN with [u^b ; f^b] as layer 0. Score ⟨e_u^id + Σ_b e_u^b, e_i^id + Σ_b e_i^b⟩.
/// Loss BPR + λ₁·Σ_b InfoNCE(e^id, e^b) + λ₂·Σ_{b&lt;b′} InfoNCE(e^b, e^b′) (the batch's distinct
/// users and distinct positive items, τ) + λ_reg·EmbLoss on the layer-0 ID rows of u, i⁺, i⁻.
/// </summary>
public sealed class Lpic : InnerProductRecommender
{
    /// <summary>The catalog name.</summary>
    public const string Name = "lpic";

    /// <summary>How docs and listings name this model.</summary>
    public const string Label = "LPIC (reconstructed)";

    readonly int _users;
    readonly int _layers;
    readonly float _idWeight, _modalWeight, _regWeight, _tau;
    readonly string[] _modalities;
    readonly Tensor[] _features;
    readonly CsrMatrix _graph;
    readonly UserAggregation _mean;
    readonly Variable _embedding;
    readonly Linear[] _project;
    readonly Linear _fuseHidden, _fuseOut;
    readonly Variable[] _prompts;

    /// <summary>A freshly initialised model for <paramref name="data"/> (default settings unless given); draws from the "init" stream of <paramref name="seed"/>.</summary>
    public Lpic(Dataset data, LpicSettings? settings = null, ulong seed = 999) : this(data, (settings ?? new()).ToModelSettings(), seed) { }

    /// <summary>The same from <c>--set</c> key=value pairs (<see cref="LpicSettings"/> names the keys).</summary>
    public Lpic(Dataset data, ModelSettings settings, ulong seed)
    {
        Settings = ModelOptions.Read<LpicSettings>(settings, Name);
        var s = Settings;
        int d = s.EmbeddingSize;
        (_layers, _idWeight, _modalWeight, _regWeight, _tau) = (s.Layers, s.ClWeight, s.ModalClWeight, s.RegWeight, s.Temperature);
        var wanted = s.Modalities!;
        bool normalize = s.NormalizeFeatures;
        _modalities = ModalitySelection.Select(wanted, data.Modalities.Keys, $"{Name} ({Label})");
        _features = _modalities.Select(m => normalize ? RowNormalized(data.Modalities[m]) : data.Modalities[m]).ToArray();

        _users = data.UserCount;
        _graph = UserItemGraph.NormalizedAdjacency(data);
        var init = Rng.ForStream(seed, "init");
        _mean = new UserAggregation(Aggregation.Mean, data, d, init);
        _embedding = IdEmbedding.Create(data, d, init);
        _project = _modalities.Select((m, i) => new Linear(_features[i].Cols, d, init, $"project.{m}")).ToArray();
        _fuseHidden = new Linear(_modalities.Length * d, d, init, "fuse.hidden");
        _fuseOut = new Linear(d, d, init, "fuse.out");
        // Prompts start at zero: each interest starts as the mean of the user's item rows.
        _prompts = BranchNames.Select(b => Variable.Parameter(new Tensor(_users, d), $"prompt.{b}")).ToArray();
    }

    /// <summary>A row-L2-normalised copy (as SLMRec normalises its raw features).</summary>
    static Tensor RowNormalized(Tensor x)
    {
        var y = x.ZerosLike();
        RowOps.L2Normalize(x, y);
        return y;
    }

    /// <summary>The branches after the ID branch: each modality, then "fused".</summary>
    IEnumerable<string> BranchNames => [.. _modalities, "fused"];

    /// <summary>The settings it was built with.</summary>
    public LpicSettings Settings { get; }

    /// <inheritdoc />
    public override string Kind => Name;

    /// <inheritdoc />
    public override IReadOnlyList<Variable> Parameters =>
        [_embedding, .. _project.SelectMany(l => l.Parameters), .. _fuseHidden.Parameters, .. _fuseOut.Parameters, .. _prompts];

    /// <inheritdoc />
    public override IReadOnlyList<string> UsedModalities => _modalities;

    /// <summary>
    /// Layer 0 of each content branch ((M+N)×d, users then items): [u^b ; f^b] with
    /// u^b = p^b + mean_{i∈N_u} f_i^b, for each modality then the fused branch.
    /// </summary>
    internal Variable[] BranchInputs(Func<Variable, Variable> read)
    {
        var items = _features.Select((x, m) => _project[m].Apply(Variable.Constant(x), read)).ToList();
        var hidden = Ops.LeakyRelu(_fuseHidden.Apply(Ops.ConcatColumns([.. items]), read));
        items.Add(_fuseOut.Apply(hidden, read));                                    // f^f = MLP([f^{m1} ‖ …])
        return items.Select((f, b) => Ops.ConcatRows(Ops.Add(read(_prompts[b]), _mean.Apply(f)), f)).ToArray();
    }

    /// <summary>The propagated ID branch, then each content branch ((M+N)×d each).</summary>
    Variable[] Branches(Func<Variable, Variable> read) =>
        [Propagation.LayerMean(_graph, read(_embedding), _layers, transposed: _graph),
         .. BranchInputs(read).Select(e0 => Propagation.LayerMean(_graph, e0, _layers, transposed: _graph))];

    /// <inheritdoc />
    public override Variable Loss(TrainingBatch batch)
    {
        Triples.Require(batch, Name);
        var branches = Branches(p => p);
        var final = branches.Aggregate(Ops.Add);
        int[] positives = Triples.Shift(batch.Positives, _users), negatives = Triples.Shift(batch.Negatives, _users);
        var loss = Losses.Bpr(Ops.GatherRows(final, batch.Users), Ops.GatherRows(final, positives), Ops.GatherRows(final, negatives));

        int[] users = batch.Users.Distinct().ToArray(), items = Triples.Shift(batch.Positives.Distinct().ToArray(), _users);
        Variable Contrast(Variable a, Variable b) => Ops.Add(
            Losses.InfoNce(Ops.GatherRows(a, users), Ops.GatherRows(b, users), _tau),
            Losses.InfoNce(Ops.GatherRows(a, items), Ops.GatherRows(b, items), _tau));
        if (_idWeight > 0f)
            for (int b = 1; b < branches.Length; b++) loss = Ops.Add(loss, Ops.Scale(Contrast(branches[0], branches[b]), _idWeight));
        if (_modalWeight > 0f)
            for (int a = 1; a < branches.Length; a++)
                for (int b = a + 1; b < branches.Length; b++) loss = Ops.Add(loss, Ops.Scale(Contrast(branches[a], branches[b]), _modalWeight));
        if (_regWeight > 0f)
            loss = Ops.Add(loss, Ops.Scale(Losses.Emb(Ops.GatherRows(_embedding, batch.Users), Ops.GatherRows(_embedding, positives), Ops.GatherRows(_embedding, negatives)), _regWeight));
        return loss;
    }

    /// <inheritdoc />
    protected override (Tensor Users, Tensor Items) ScoringTables()
    {
        var final = Branches(p => Variable.Constant(p.Value)).Aggregate(Ops.Add);
        return IdEmbedding.Split(final.Value, _users);
    }

}

/// <summary>LPIC's settings.</summary>
public sealed record LpicSettings : ModelOptions
{
    /// <summary>d, the embedding width (<c>embedding_size</c>).</summary>
    [Setting("embedding_size", Min = 1, Max = SettingLimits.Width, Why = SettingLimits.WidthWhy)] public int EmbeddingSize { get; init; } = 64;

    /// <summary>LightGCN layers (<c>n_layers</c>).</summary>
    [Setting("n_layers", Min = 0, Max = SettingLimits.Layers, Why = SettingLimits.LayersWhy)] public int Layers { get; init; } = 2;

    /// <summary>The weight of the ID-guided contrastive term (<c>cl_weight</c>).</summary>
    [Setting("cl_weight", Min = 0)] public float ClWeight { get; init; } = 1e-2f;

    /// <summary>The weight of the modality contrastive term (<c>modal_cl_weight</c>).</summary>
    [Setting("modal_cl_weight", Min = 0)] public float ModalClWeight { get; init; } = 1e-2f;

    /// <summary>λ of the EmbLoss (<c>reg_weight</c>).</summary>
    [Setting("reg_weight", Min = 0)] public float RegWeight { get; init; } = 1e-4f;

    /// <summary>τ of the contrastive terms (<c>tau</c>).</summary>
    [Setting("tau", Above = 0)] public float Temperature { get; init; } = 0.2f;

    /// <summary>"all" or a comma list of modalities (<c>modalities</c>).</summary>
    [Setting("modalities")] public string? Modalities { get; init; } = "all";

    /// <summary>L2-normalise each item's raw feature row (<c>normalize_features</c>).</summary>
    [Setting("normalize_features")] public bool NormalizeFeatures { get; init; } = true;
}
