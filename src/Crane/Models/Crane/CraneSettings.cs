namespace Crane.Models;

/// <summary>What each entity attends over inside RCA (crane-spec.md §2.4).</summary>
public enum AttentionScope
{
    /// <summary>Its own |𝓜|+1 tokens {F^{m'}} ∪ {J}: O(N·|𝓜|·d²).</summary>
    Tokens,

    /// <summary>Every entity of the set, block-wise with an online softmax: O(N²·d) time, O(N·d) memory.</summary>
    Dense,

    /// <summary>Its k_att semantic-graph neighbours (users: their training items), itself included: O(N·k_att·d).</summary>
    Neighbors,
}

/// <summary>How a user profile gathers the rows of the user's training items N_u (crane-spec.md §2.3).</summary>
public enum Aggregation
{
    /// <summary>Σ_{i∈N_u} x_i.</summary>
    Sum,

    /// <summary>(1/|N_u|)·Σ_{i∈N_u} x_i.</summary>
    Mean,

    /// <summary>Element-wise max over i∈N_u.</summary>
    Max,

    /// <summary>Σ α_ui x_i with α_ui = softmax over N_u of qᵀ tanh(W_a x_i + b_a).</summary>
    Attention,
}

/// <summary>How the modality representations become Z (crane-spec.md §4, fusion strategies).</summary>
public enum ModalityFusion
{
    /// <summary>RCA refines the projections; Z = [F^{m1} ‖ F^{m2} ‖ …] (the model).</summary>
    Rca,

    /// <summary>No refinement: Z = [F^{m1} ‖ F^{m2} ‖ …] (the same as <c>rca_depth=0</c>).</summary>
    Concat,

    /// <summary>No refinement: Z = Σ_m F^m (d wide).</summary>
    Sum,

    /// <summary>No refinement, Z as <see cref="Concat"/>, and one semantic kNN graph per modality (from F_I^m), averaged: S̃ = (1/|𝓜|)·Σ_m S̃_m.</summary>
    GraphAverage,
}

/// <summary>How the collaborative and semantic views meet in the score (crane-spec.md §2.7 and §4).</summary>
public enum ViewFusion
{
    /// <summary>u = c_u + σ_u, i = c_i + σ_i, ŷ = uᵀi, one BPR term (the model).</summary>
    Dual,

    /// <summary>Late fusion (the "w/o dual fusion" ablation): ŷ = c_uᵀc_i + σ_uᵀσ_i, each branch with its own BPR term.</summary>
    Late,
}

/// <summary>
/// CRANE's hyper-parameters with the spec's names and defaults (crane-spec.md §3):
/// <c>new CraneModel(data, new CraneSettings { KnnK = 5 })</c>, or <c>--set knn_k=5</c>.
/// </summary>
public sealed record CraneSettings : ModelOptions
{
    /// <summary>d (<c>embedding_size</c>, 64).</summary>
    [Setting("embedding_size", Min = 1, Max = SettingLimits.Width, Why = SettingLimits.WidthWhy)] public int EmbeddingSize { get; init; } = 64;

    /// <summary>L_ui (<c>n_ui_layers</c>, 2).</summary>
    [Setting("n_ui_layers", Min = 0, Max = SettingLimits.Layers, Why = SettingLimits.LayersWhy)] public int UserItemLayers { get; init; } = 2;

    /// <summary>FREEDOM's degree-sensitive pruning of the user–item graph in training: each epoch trains on a subgraph that keeps a share 1 − p of the edges, drawn ∝ 1/√(d_u·d_i) (<c>ui_dropout</c>, the rate p, 0 = the full graph; scoring always uses the full graph; see <see cref="Graphs.DegreeSensitivePruning"/>).</summary>
    [Setting("ui_dropout", Min = 0, Below = 1)] public float UiDropout { get; init; } = 0f;

    /// <summary>L_ii (<c>n_ii_layers</c>, 3; spec: 1; measured: the best TikTok validation Recall@20 of L_ii = 1, 2, 3 over seven seeds, and with it CRANE's test NDCG@20 above LightGCN's on the mean; see docs/results.md).</summary>
    [Setting("n_ii_layers", Min = 0, Max = SettingLimits.Layers, Why = SettingLimits.LayersWhy)] public int ItemItemLayers { get; init; } = 3;

    /// <summary>The semantic view is the mean of its layers 0 … L_ii (<c>ii_layer_mean</c>, true; false is the spec's last layer S̃^{L_ii}·c_I, which with the kNN graph's self loops excluded holds none of an item's own collaborative row and blurred the head items on TikTok; measured, see docs/results.md).</summary>
    [Setting("ii_layer_mean")] public bool ItemItemLayerMean { get; init; } = true;

    /// <summary>R (<c>rca_depth</c>, 2); 0 = no refinement.</summary>
    [Setting("rca_depth", Min = 0, Max = SettingLimits.Layers, Why = SettingLimits.LayersWhy)] public int RcaDepth { get; init; } = 2;

    /// <summary>k of the semantic item graph (<c>knn_k</c>, 10).</summary>
    [Setting("knn_k", Min = 1, Max = SettingLimits.Neighbors, Why = SettingLimits.NeighborsWhy)] public int KnnK { get; init; } = 10;

    /// <summary>k_att of the <c>neighbors</c> scope (<c>k_att</c>, 10).</summary>
    [Setting("k_att", Min = 1, Max = SettingLimits.Neighbors, Why = SettingLimits.NeighborsWhy)] public int AttentionNeighbors { get; init; } = 10;

    /// <summary>τ of the contrastive loss (<c>tau</c>, 0.2).</summary>
    [Setting("tau", Above = 0)] public float Temperature { get; init; } = 0.2f;

    /// <summary>λ_cl (<c>cl_weight</c>, 0.01, the low end of the spec's grid: 0.05 and the spec's 0.1 held TikTok validation R@20 near 0.03–0.05 for 12 epochs; see docs/results.md).</summary>
    [Setting("cl_weight", Min = 0)] public float ClWeight { get; init; } = 0.01f;

    /// <summary>λ_reg (<c>reg_weight</c>, 1e-4).</summary>
    [Setting("reg_weight", Min = 0)] public float RegWeight { get; init; } = 1e-4f;

    /// <summary>λ_p, a squared-L2 penalty on the batch's content-term rows p = Z·W_o (<c>content_reg</c>, 0.01; not in the spec: without it ‖p‖ grew to ~14 against ~0.1 for the other views on TikTok and the p_uᵀp_i term swamped the scores; see docs/results.md).</summary>
    [Setting("content_reg", Min = 0)] public float ContentReg { get; init; } = 0.01f;

    /// <summary>λ_c, the weight of a second BPR term on the collaborative view alone, BPR(c_u, c_i⁺, c_i⁻) (<c>collaborative_bpr</c>, 0; not in the spec: with dual fusion the BPR gradient reaches c only through the fused score, and once σ fits the training pairs c stops learning — on TikTok c alone plateaued at valid R@20 0.073 where LightGCN's same view reaches 0.0985; see docs/results.md).</summary>
    [Setting("collaborative_bpr", Min = 0)] public float CollaborativeBpr { get; init; } = 0f;

    /// <summary>Centre the users' rows of Z after RCA: Z_u − mean over all users of Z_u, so p_u = Z_u·W_o has no part shared by every user (<c>center_profiles</c>, false; not in the spec: on TikTok the users' p_u rows had a mean cosine of 0.65–0.90 with their mean row, so p_uᵀi acted as one item score for all users — and centring the profiles before RCA was re-learned through RCA's biases; see docs/results.md). Off by default for its cost: training then refines every user row at each step, which doubled the Baby-sized epoch (21 → 40 s) and its peak memory (1.0 → 2.3 GB; docs/benchmarks.md).</summary>
    [Setting("center_profiles")] public bool CenterProfiles { get; init; } = false;

    /// <summary>AGG (<c>aggregation</c>: sum, mean, max, attention).</summary>
    [Setting("aggregation")] public Aggregation Aggregation { get; init; } = Aggregation.Sum;

    /// <summary>RCA scope (<c>attention_scope</c>: tokens, dense, neighbors).</summary>
    [Setting("attention_scope")] public AttentionScope Scope { get; init; } = AttentionScope.Tokens;

    /// <summary>Which entities RCA refines (<c>rca_entities</c>: users+items, or items only).</summary>
    [Setting("rca_entities", Allowed = new[] { "users+items", "items" })] public string RcaEntities { get; init; } = "users+items";

    /// <summary>Epochs between semantic-graph rebuilds (<c>graph_refresh</c>, 1).</summary>
    [Setting("graph_refresh", Min = 1)] public int GraphRefresh { get; init; } = 1;

    /// <summary>Pre-norm LayerNorm in RCA (<c>pre_norm</c>, true); false = post-norm.</summary>
    [Setting("pre_norm")] public bool PreNorm { get; init; } = true;

    /// <summary>A last LayerNorm on each F^m after the recursions (<c>final_norm</c>, true; pre-norm only).</summary>
    [Setting("final_norm")] public bool FinalNorm { get; init; } = true;

    /// <summary>Xavier gain of W_o, the content term p = Z·W_o (<c>content_init_gain</c>, 0: the model starts from the collaborative and semantic views alone, and W_o learns from its first step; measured on TikTok, see docs/models.md).</summary>
    [Setting("content_init_gain", Min = 0)] public float ContentInitGain { get; init; } = 0f;

    /// <summary>In training, the user row of each BPR pair (u, i⁺) leaves i⁺ out of both of u's profiles: AGG over N_u∖{i⁺} for F_U^m before RCA and for s_u (<c>leave_one_out</c>, true where supported: test items are never in N_u, and without it the model matches each training positive against itself and overfits; measured on TikTok, see docs/models.md; supported with <c>aggregation=sum</c> or <c>mean</c> and, when users are refined, <c>attention_scope=tokens</c>; the default is false elsewhere). Null here: that default, resolved when the model is built.</summary>
    [Setting("leave_one_out")] public bool? LeaveOneOut { get; init; }

    /// <summary>The semantic view (<c>item_graph</c>, true); false is the "w/o item graph" ablation: σ = p.</summary>
    [Setting("item_graph")] public bool ItemGraph { get; init; } = true;

    /// <summary>Attention inside RCA (<c>rca_attention</c>, true); false is the "w/o attention" ablation: F^m ← F^m + V_m with V_m = J·W_V^m (attention weights replaced by the identity).</summary>
    [Setting("rca_attention")] public bool RcaAttention { get; init; } = true;

    /// <summary>How Z is formed (<c>modality_fusion</c>: rca, concat, sum, graph_average).</summary>
    [Setting("modality_fusion")] public ModalityFusion Fusion { get; init; } = ModalityFusion.Rca;

    /// <summary>How the two views meet (<c>view_fusion</c>: dual, late).</summary>
    [Setting("view_fusion")] public ViewFusion Views { get; init; } = ViewFusion.Dual;

    /// <summary>Per-epoch learning-rate factor γ: epoch e trains at lr·γ^(e−1) (<c>lr_decay</c>, 1 = none).</summary>
    [Setting("lr_decay", Above = 0, Max = 1)] public float LrDecay { get; init; } = 1f;

    /// <summary>The factor on the learning rate of every parameter but the ID embeddings — the projections, RCA, W_o and the aggregation's (<c>content_lr</c>, 1): these weights are shared by all items, so each Adam step moves every item's content rows at once.</summary>
    [Setting("content_lr", Above = 0)] public float ContentLearningRate { get; init; } = 1f;

    /// <summary>β of the exponential moving average of the parameters that is evaluated and saved (<c>weight_averaging</c>, 0 = none; see <see cref="Optim.ParameterAverage"/>).</summary>
    [Setting("weight_averaging", Min = 0, Below = 1)] public float WeightAveraging { get; init; } = 0f;

    /// <summary>Train copies of the raw features (<c>trainable_features</c>, false).</summary>
    [Setting("trainable_features")] public bool TrainableFeatures { get; init; } = false;

    /// <summary>Column-wise rescaling of the frozen raw features before their projection (<c>feature_scaling</c>: none, center, standardize; a reparametrisation that only changes training's conditioning, see <see cref="FeatureScalingExtensions"/>).</summary>
    [Setting("feature_scaling")] public FeatureScaling FeatureScaling { get; init; } = FeatureScaling.None;

    /// <summary>Modalities read (<c>modalities</c>: "all" or a comma list).</summary>
    [Setting("modalities")] public string Modalities { get; init; } = "all";

    /// <summary>RCA refines the items only (<c>rca_entities=items</c>).</summary>
    public bool RcaOnItemsOnly => RcaEntities == "items";

    /// <summary>Reads every setting (defaults as the spec) and rejects unknown keys and bad values.</summary>
    public static CraneSettings Read(ModelSettings s, string modelName)
    {
        var result = ModelOptions.Read<CraneSettings>(s, modelName, checkUnused: false);
        // leave_one_out's default depends on the others: on where leaving the positive out is exact.
        bool exact = result.Aggregation is Aggregation.Sum or Aggregation.Mean && (result.RcaOnItemsOnly || !result.Refines || result.Scope == AttentionScope.Tokens);
        result = result with { LeaveOneOut = s.Bool("leave_one_out", result.LeaveOneOut ?? exact) };
        s.ThrowIfUnused(modelName);
        if (result.LeaveOneOut == true && result.Aggregation is not (Aggregation.Sum or Aggregation.Mean))
            throw new ArgumentException($"Setting leave_one_out=true needs aggregation=sum or mean (leaving the positive out is exact only for those), not {SnakeCase(result.Aggregation)}; pass leave_one_out=false.");
        if (result.LeaveOneOut == true && !result.RcaOnItemsOnly && result.Refines && result.Scope != AttentionScope.Tokens)
            throw new ArgumentException($"Setting leave_one_out=true with rca_entities=users+items needs attention_scope=tokens (a user row refined on its own), not {SnakeCase(result.Scope)}; pass leave_one_out=false or rca_entities=items.");
        if (result.TrainableFeatures && result.FeatureScaling != FeatureScaling.None)
            throw new ArgumentException($"Setting feature_scaling={SnakeCase(result.FeatureScaling)} needs frozen features (trainable_features=false): rescaling trained features is not a reparametrisation.");
        return result;
    }

    /// <summary>Whether RCA refines the projections (RCA fusion with R ≥ 1).</summary>
    public bool Refines => Fusion == ModalityFusion.Rca && RcaDepth > 0;

    /// <summary>The modality names to read from <paramref name="available"/>, in ordinal order.</summary>
    public string[] SelectModalities(IEnumerable<string> available) => ModalitySelection.Select(Modalities, available, CraneModel.Name);
}
