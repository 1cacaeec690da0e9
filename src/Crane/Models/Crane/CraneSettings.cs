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
/// CRANE's hyper-parameters with the spec's names and defaults (crane-spec.md §3), read from
/// <see cref="ModelSettings"/>.
/// </summary>
/// <param name="EmbeddingSize">d (<c>embedding_size</c>, 64).</param>
/// <param name="UserItemLayers">L_ui (<c>n_ui_layers</c>, 2).</param>
/// <param name="UiDropout">FREEDOM's degree-sensitive pruning of the user–item graph in training: each epoch trains on a subgraph that keeps a share 1 − p of the edges, drawn ∝ 1/√(d_u·d_i) (<c>ui_dropout</c>, the rate p, 0 = the full graph; scoring always uses the full graph; see <see cref="Graphs.DegreeSensitivePruning"/>).</param>
/// <param name="ItemItemLayers">L_ii (<c>n_ii_layers</c>, 3; spec: 1; measured: the best TikTok validation Recall@20 of L_ii = 1, 2, 3 over seven seeds, and with it CRANE's test NDCG@20 above LightGCN's on the mean; see docs/results.md).</param>
/// <param name="ItemItemLayerMean">The semantic view is the mean of its layers 0 … L_ii (<c>ii_layer_mean</c>, true; false is the spec's last layer S̃^{L_ii}·c_I, which with the kNN graph's self loops excluded holds none of an item's own collaborative row and blurred the head items on TikTok; measured, see docs/results.md).</param>
/// <param name="RcaDepth">R (<c>rca_depth</c>, 2); 0 = no refinement.</param>
/// <param name="KnnK">k of the semantic item graph (<c>knn_k</c>, 10).</param>
/// <param name="AttentionNeighbors">k_att of the <c>neighbors</c> scope (<c>k_att</c>, 10).</param>
/// <param name="Temperature">τ of the contrastive loss (<c>tau</c>, 0.2).</param>
/// <param name="ClWeight">λ_cl (<c>cl_weight</c>, 0.01, the low end of the spec's grid: 0.05 and the spec's 0.1 held TikTok validation R@20 near 0.03–0.05 for 12 epochs; see docs/results.md).</param>
/// <param name="RegWeight">λ_reg (<c>reg_weight</c>, 1e-4).</param>
/// <param name="ContentReg">λ_p, a squared-L2 penalty on the batch's content-term rows p = Z·W_o (<c>content_reg</c>, 0.01; not in the spec: without it ‖p‖ grew to ~14 against ~0.1 for the other views on TikTok and the p_uᵀp_i term swamped the scores; see docs/results.md).</param>
/// <param name="CollaborativeBpr">λ_c, the weight of a second BPR term on the collaborative view alone, BPR(c_u, c_i⁺, c_i⁻) (<c>collaborative_bpr</c>, 0; not in the spec: with dual fusion the BPR gradient reaches c only through the fused score, and once σ fits the training pairs c stops learning — on TikTok c alone plateaued at valid R@20 0.073 where LightGCN's same view reaches 0.0985; see docs/results.md).</param>
/// <param name="CenterProfiles">Centre the users' rows of Z after RCA: Z_u − mean over all users of Z_u, so p_u = Z_u·W_o has no part shared by every user (<c>center_profiles</c>, false; not in the spec: on TikTok the users' p_u rows had a mean cosine of 0.65–0.90 with their mean row, so p_uᵀi acted as one item score for all users — and centring the profiles before RCA was re-learned through RCA's biases; see docs/results.md). Off by default for its cost: training then refines every user row at each step, which doubled the Baby-sized epoch (21 → 40 s) and its peak memory (1.0 → 2.3 GB; docs/benchmarks.md).</param>
/// <param name="Aggregation">AGG (<c>aggregation</c>: sum, mean, max, attention).</param>
/// <param name="Scope">RCA scope (<c>attention_scope</c>: tokens, dense, neighbors).</param>
/// <param name="RcaOnItemsOnly"><c>rca_entities</c> = items (default users+items).</param>
/// <param name="GraphRefresh">Epochs between semantic-graph rebuilds (<c>graph_refresh</c>, 1).</param>
/// <param name="PreNorm">Pre-norm LayerNorm in RCA (<c>pre_norm</c>, true); false = post-norm.</param>
/// <param name="FinalNorm">A last LayerNorm on each F^m after the recursions (<c>final_norm</c>, true; pre-norm only).</param>
/// <param name="ContentInitGain">Xavier gain of W_o, the content term p = Z·W_o (<c>content_init_gain</c>, 0: the model starts from the collaborative and semantic views alone, and W_o learns from its first step; measured on TikTok, see docs/models.md).</param>
/// <param name="LeaveOneOut">In training, the user row of each BPR pair (u, i⁺) leaves i⁺ out of both of u's profiles: AGG over N_u∖{i⁺} for F_U^m before RCA and for s_u (<c>leave_one_out</c>, true where supported: test items are never in N_u, and without it the model matches each training positive against itself and overfits; measured on TikTok, see docs/models.md; supported with <c>aggregation=sum</c> or <c>mean</c> and, when users are refined, <c>attention_scope=tokens</c>; the default is false elsewhere).</param>
/// <param name="ItemGraph">The semantic view (<c>item_graph</c>, true); false is the "w/o item graph" ablation: σ = p.</param>
/// <param name="RcaAttention">Attention inside RCA (<c>rca_attention</c>, true); false is the "w/o attention" ablation: F^m ← F^m + V_m with V_m = J·W_V^m (attention weights replaced by the identity).</param>
/// <param name="Fusion">How Z is formed (<c>modality_fusion</c>: rca, concat, sum, graph_average).</param>
/// <param name="Views">How the two views meet (<c>view_fusion</c>: dual, late).</param>
/// <param name="LrDecay">Per-epoch learning-rate factor γ: epoch e trains at lr·γ^(e−1) (<c>lr_decay</c>, 1 = none).</param>
/// <param name="ContentLearningRate">The factor on the learning rate of every parameter but the ID embeddings — the projections, RCA, W_o and the aggregation's (<c>content_lr</c>, 1): these weights are shared by all items, so each Adam step moves every item's content rows at once.</param>
/// <param name="WeightAveraging">β of the exponential moving average of the parameters that is evaluated and saved (<c>weight_averaging</c>, 0 = none; see <see cref="Optim.ParameterAverage"/>).</param>
/// <param name="TrainableFeatures">Train copies of the raw features (<c>trainable_features</c>, false).</param>
/// <param name="FeatureScaling">Column-wise rescaling of the frozen raw features before their projection (<c>feature_scaling</c>: none, center, standardize; a reparametrisation that only changes training's conditioning, see <see cref="FeatureScalingExtensions"/>).</param>
/// <param name="Modalities">Modalities read (<c>modalities</c>: "all" or a comma list).</param>
public sealed record CraneSettings(
    int EmbeddingSize, int UserItemLayers, float UiDropout, int ItemItemLayers, bool ItemItemLayerMean, int RcaDepth, int KnnK, int AttentionNeighbors,
    float Temperature, float ClWeight, float RegWeight, float ContentReg, float CollaborativeBpr, bool CenterProfiles, Aggregation Aggregation, AttentionScope Scope,
    bool RcaOnItemsOnly, int GraphRefresh, bool PreNorm, bool FinalNorm, float ContentInitGain, bool LeaveOneOut,
    bool ItemGraph, bool RcaAttention, ModalityFusion Fusion, ViewFusion Views, float LrDecay, float ContentLearningRate, float WeightAveraging, bool TrainableFeatures, FeatureScaling FeatureScaling, string Modalities)
{
    /// <summary>Reads every setting (defaults as the spec) and rejects unknown keys and bad values.</summary>
    public static CraneSettings Read(ModelSettings s, string modelName)
    {
        var result = new CraneSettings(
            EmbeddingSize: s.Int("embedding_size", 64, min: 1),
            UserItemLayers: s.Int("n_ui_layers", 2, min: 0),
            UiDropout: s.Float("ui_dropout", 0f, min: 0f, below: 1f),
            ItemItemLayers: s.Int("n_ii_layers", 3, min: 0),
            ItemItemLayerMean: s.Bool("ii_layer_mean", true),
            RcaDepth: s.Int("rca_depth", 2, min: 0),
            KnnK: s.Int("knn_k", 10, min: 1),
            AttentionNeighbors: s.Int("k_att", 10, min: 1),
            Temperature: s.Float("tau", 0.2f, above: 0f),
            ClWeight: s.Float("cl_weight", 0.01f, min: 0f),
            RegWeight: s.Float("reg_weight", 1e-4f, min: 0f),
            ContentReg: s.Float("content_reg", 0.01f, min: 0f),
            CollaborativeBpr: s.Float("collaborative_bpr", 0f, min: 0f),
            CenterProfiles: s.Bool("center_profiles", false),
            Aggregation: Enum.Parse<Aggregation>(s.Text("aggregation", "sum", "sum", "mean", "max", "attention"), ignoreCase: true),
            Scope: Enum.Parse<AttentionScope>(s.Text("attention_scope", "tokens", "tokens", "dense", "neighbors"), ignoreCase: true),
            RcaOnItemsOnly: s.Text("rca_entities", "users+items", "users+items", "items") == "items",
            GraphRefresh: s.Int("graph_refresh", 1, min: 1),
            PreNorm: s.Bool("pre_norm", true),
            FinalNorm: s.Bool("final_norm", true),
            ContentInitGain: s.Float("content_init_gain", 0f, min: 0f),
            LeaveOneOut: false,
            ItemGraph: s.Bool("item_graph", true),
            RcaAttention: s.Bool("rca_attention", true),
            Fusion: Enum.Parse<ModalityFusion>(s.Text("modality_fusion", "rca", "rca", "concat", "sum", "graph_average").Replace("_", ""), ignoreCase: true),
            Views: Enum.Parse<ViewFusion>(s.Text("view_fusion", "dual", "dual", "late"), ignoreCase: true),
            LrDecay: s.Float("lr_decay", 1f, above: 0f, max: 1f),
            ContentLearningRate: s.Float("content_lr", 1f, above: 0f),
            WeightAveraging: s.Float("weight_averaging", 0f, min: 0f, below: 1f),
            TrainableFeatures: s.Bool("trainable_features", false),
            FeatureScaling: Enum.Parse<FeatureScaling>(s.Text("feature_scaling", "none", "none", "center", "standardize"), ignoreCase: true),
            Modalities: s.Text("modalities", "all"));
        result = result with { LeaveOneOut = s.Bool("leave_one_out", result.Aggregation is Aggregation.Sum or Aggregation.Mean && (result.RcaOnItemsOnly || !result.Refines || result.Scope == AttentionScope.Tokens)) };
        s.ThrowIfUnused(modelName);
        if (result.LeaveOneOut && result.Aggregation is not (Aggregation.Sum or Aggregation.Mean))
            throw new ArgumentException($"Setting leave_one_out=true needs aggregation=sum or mean (leaving the positive out is exact only for those), not {result.Aggregation.ToString().ToLowerInvariant()}; pass leave_one_out=false.");
        if (result.LeaveOneOut && !result.RcaOnItemsOnly && result.Refines && result.Scope != AttentionScope.Tokens)
            throw new ArgumentException($"Setting leave_one_out=true with rca_entities=users+items needs attention_scope=tokens (a user row refined on its own), not {result.Scope.ToString().ToLowerInvariant()}; pass leave_one_out=false or rca_entities=items.");
        if (result.TrainableFeatures && result.FeatureScaling != FeatureScaling.None)
            throw new ArgumentException($"Setting feature_scaling={result.FeatureScaling.ToString().ToLowerInvariant()} needs frozen features (trainable_features=false): rescaling trained features is not a reparametrisation.");
        return result;
    }

    /// <summary>Whether RCA refines the projections (RCA fusion with R ≥ 1).</summary>
    public bool Refines => Fusion == ModalityFusion.Rca && RcaDepth > 0;

    /// <summary>The modality names to read from <paramref name="available"/>, in ordinal order.</summary>
    public string[] SelectModalities(IEnumerable<string> available) => ModalitySelection.Select(Modalities, available, CraneModel.Name);
}
