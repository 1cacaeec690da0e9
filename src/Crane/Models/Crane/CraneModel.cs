using Crane.Autograd;
using Crane.Data;
using Crane.Graphs;
using Crane.Numerics;
using Crane.Optim;

namespace Crane.Models;

/// <summary>
/// CRANE in paper mode (crane-spec.md §2–§3). Collaborative view C = LayerMean(Â, E⁰, L_ui);
/// projections F^m = X^m W_m + b_m; user profiles AGG over N_u; RCA over users ∪ items (or items);
/// Z = [F^{m1} ‖ …]; semantic item graph S̃ from Z_I (kNN structure refreshed every
/// <c>graph_refresh</c> epochs, weights live); semantic view s_I = mean of S̃⁰c_I … S̃^{L_ii}c_I
/// (<c>ii_layer_mean</c>; else the last layer), s_u = AGG s_I;
/// dual fusion σ = s + Z·W_o, u = c_u + σ_u, i = c_i + σ_i, score uᵀi. Loss BPR +
/// λ_cl·[InfoNCE(c_U, σ_U) + InfoNCE(c_I, σ_I)] on the batch's distinct users and positive items +
/// λ_reg·(‖e⁰_u‖² + ‖e⁰_i⁺‖² + ‖e⁰_i⁻‖²)/B + λ_p·(‖p_u‖² + ‖p_i⁺‖² + ‖p_i⁻‖²)/B with p = Z·W_o.
/// The ablation and fusion switches of §4 (<c>item_graph</c>, <c>rca_attention</c>,
/// <c>modality_fusion</c>, <c>view_fusion</c>) are settings too. Settings: <see cref="CraneSettings"/>.
/// Rows of every entity table: the M users, then the N items.
/// </summary>
public sealed class CraneModel : InnerProductRecommender
{
    /// <summary>The catalog name.</summary>
    public const string Name = "crane";

    readonly CraneSettings _s;
    readonly int _users, _items;
    readonly string[] _modalities;
    readonly CsrMatrix _adjacency;                 // Â
    readonly DegreeSensitivePruning? _pruning;     // with ui_dropout > 0
    CsrMatrix _trainingAdjacency;                  // this epoch's Â: pruned with ui_dropout, else Â
    readonly Variable _embedding;                  // E⁰, (M+N)×d
    readonly Variable[] _features, _w, _b;         // X^m, W_m, b_m
    readonly Variable _wo;                         // W_o, |𝓜|d × d
    readonly UserAggregation _aggregation;
    readonly RecursiveCrossModalAttention _rca;
    GraphState? _training;

    /// <summary>
    /// The semantic graphs (one, one per modality for <c>modality_fusion=graph_average</c>, none
    /// without the item graph) and, for the <c>neighbors</c> scope, RCA's attention neighbourhood.
    /// </summary>
    internal sealed record GraphState(SemanticGraph[] Graphs, CsrMatrix? Neighborhood);

    /// <summary>A freshly initialised model for <paramref name="data"/> (the spec's settings unless given); draws from the "init" stream of <paramref name="seed"/>.</summary>
    public CraneModel(Dataset data, CraneSettings? settings = null, ulong seed = 999) : this(data, (settings ?? new()).ToModelSettings(), seed) { }

    /// <summary>The same from <c>--set</c> key=value pairs (<see cref="CraneSettings"/> names the keys).</summary>
    public CraneModel(Dataset data, ModelSettings settings, ulong seed)
    {
        _s = CraneSettings.Read(settings, Name);
        _modalities = _s.SelectModalities(data.Modalities.Keys);
        (_users, _items) = (data.UserCount, data.ItemCount);
        int d = _s.EmbeddingSize;
        _adjacency = _trainingAdjacency = UserItemGraph.NormalizedAdjacency(data);
        _pruning = _s.UiDropout > 0f ? new DegreeSensitivePruning(data.TrainMatrix, _s.UiDropout) : null;

        var init = Rng.ForStream(seed, "init");
        _embedding = IdEmbedding.Create(data, d, init);

        _features = _modalities.Select(m => _s.TrainableFeatures
            ? Variable.Parameter(data.Modalities[m].Clone(), $"feature_{m}")
            : Variable.Constant(_s.FeatureScaling.Apply(data.Modalities[m]))).ToArray();
        _w = _modalities.Select((m, k) => Variable.Parameter(Init.XavierUniform(new Tensor(_features[k].Cols, d), init), $"W_{m}")).ToArray();
        _b = _modalities.Select(m => Variable.Parameter(new Tensor(1, d), $"b_{m}")).ToArray();
        _rca = new RecursiveCrossModalAttention(_modalities, d, _s.RcaDepth, _s.Scope, _s.PreNorm, _s.FinalNorm, _s.RcaAttention, init);
        int zWidth = _s.Fusion == ModalityFusion.Sum ? d : _modalities.Length * d;
        _wo = Variable.Parameter(Init.XavierUniform(new Tensor(zWidth, d), init, _s.ContentInitGain), "W_o");
        _aggregation = new UserAggregation(_s.Aggregation, data, d, init);
    }

    /// <inheritdoc />
    public override string Kind => Name;

    /// <inheritdoc />
    public override IReadOnlyList<Variable> Parameters =>
        [_embedding, .. _w, .. _b, .. _features.Where(f => f.RequiresGrad), .. _rca.Parameters, _wo, .. _aggregation.Parameters];

    /// <inheritdoc />
    public override IReadOnlyList<string> UsedModalities => _modalities;

    /// <summary>The resolved settings.</summary>
    public CraneSettings Settings => _s;

    /// <summary>The training-time semantic graph (built on first use).</summary>
    internal GraphState TrainingGraph => _training ??= BuildGraph();

    /// <summary>γ^(epoch−1) with γ = <c>lr_decay</c> (1: a constant step).</summary>
    public override float LearningRateFactor(int epoch) => MathF.Pow(_s.LrDecay, epoch - 1);

    /// <inheritdoc />
    public override float ParameterAveraging => _s.WeightAveraging;

    /// <summary><c>content_lr</c> for every parameter but the ID embeddings E⁰.</summary>
    public override float LearningRateScale(Variable parameter) => ReferenceEquals(parameter, _embedding) ? 1f : _s.ContentLearningRate;

    /// <summary>The semantic graph is rebuilt at the resumed epoch, so only an epoch that rebuilds it anyway resumes exactly.</summary>
    protected internal override void RestoreTrainingState(IReadOnlyDictionary<string, ulong[]> state, int nextEpoch)
    {
        if ((nextEpoch - 1) % _s.GraphRefresh != 0)
            throw new InvalidOperationException($"CRANE with graph_refresh={_s.GraphRefresh} rebuilds its semantic graph every {_s.GraphRefresh} epochs; " +
                $"epoch {nextEpoch} reuses one built earlier, which a checkpoint does not hold, so the run cannot resume there exactly.");
    }

    /// <inheritdoc />
    public override void BeginEpoch(int epoch, Rng rng)
    {
        if (_training is null || (epoch - 1) % _s.GraphRefresh == 0) _training = BuildGraph();
        if (_pruning is not null) _trainingAdjacency = _pruning.Prune(rng);
    }

    /// <summary>
    /// When true (the default) a training step refines with RCA only the user rows its loss reads
    /// (with <c>leave_one_out</c>: the contrastive term's distinct batch users, none when λ_cl = 0),
    /// which is exact when RCA is row-local (the <c>tokens</c> scope or no refinement); false
    /// refines every entity, as scoring does. Tests compare the two.
    /// </summary>
    internal bool RefineNeededUsersOnly { get; set; } = true;

    /// <inheritdoc />
    public override Variable Loss(TrainingBatch batch)
    {
        Triples.Require(batch, Name);
        int[] distinctUsers = batch.Users.Distinct().ToArray();
        // The user rows of σ the loss reads: BPR's (unless leave_one_out builds them) and the contrastive term's.
        int[] userRows = _s.LeaveOneOut == true ? (_s.ClWeight == 0f ? [] : distinctUsers) : _s.ClWeight == 0f ? batch.Users : [.. batch.Users, .. distinctUsers];
        var rows = TrainingRows(TrainingGraph, userRows, out var parts);
        int[] pos = Triples.Shift(batch.Positives, _users), neg = Triples.Shift(batch.Negatives, _users);
        var (userSigma, userContent) = _s.LeaveOneOut == true
            ? LeaveOneOutUsers(batch, parts)
            : (Ops.SliceRows(rows.SigmaUsers!, 0, batch.Users.Length), Ops.SliceRows(rows.ContentUsers!, 0, batch.Users.Length));
        Variable userC = Ops.GatherRows(rows.C, batch.Users), positiveC = Ops.GatherRows(rows.C, pos), negativeC = Ops.GatherRows(rows.C, neg);
        Variable CollaborativeBpr() => Losses.Bpr(userC, positiveC, userC, negativeC);                              // BPR on c alone
        Variable Sigma(int[] items) => Ops.GatherRows(rows.SigmaItems, items);
        Variable bpr;
        if (_s.Views == ViewFusion.Dual)
        {
            var user = Ops.Add(userC, userSigma);                                                                 // u = c_u + σ_u
            bpr = Losses.Bpr(user, Ops.Add(positiveC, Sigma(batch.Positives)), user, Ops.Add(negativeC, Sigma(batch.Negatives)));   // i = c_i + σ_i
        }
        else   // late fusion: one BPR term per view
            bpr = Ops.Add(CollaborativeBpr(), Losses.Bpr(userSigma, Sigma(batch.Positives), userSigma, Sigma(batch.Negatives)));
        if (_s.CollaborativeBpr > 0f)   // λ_c·BPR(c_u, c_i⁺, c_i⁻): c keeps learning once σ fits the pairs
            bpr = Ops.Add(bpr, Ops.Scale(CollaborativeBpr(), _s.CollaborativeBpr));
        var loss = Ops.Add(bpr,
            Ops.Scale(Losses.SquaredL2(Ops.GatherRows(_embedding, batch.Users), Ops.GatherRows(_embedding, pos), Ops.GatherRows(_embedding, neg)), _s.RegWeight));
        if (_s.ContentReg > 0f)   // λ_p·(‖p_u‖² + ‖p_i⁺‖² + ‖p_i⁻‖²)/B keeps the content term's scale in check
            loss = Ops.Add(loss, Ops.Scale(Losses.SquaredL2(userContent,
                Ops.GatherRows(rows.ContentItems, batch.Positives), Ops.GatherRows(rows.ContentItems, batch.Negatives)), _s.ContentReg));
        if (_s.ClWeight == 0f) return loss;
        int[] items = batch.Positives.Distinct().ToArray();
        var sigmaUsers = Ops.SliceRows(rows.SigmaUsers!, userRows.Length - distinctUsers.Length, distinctUsers.Length);
        var cl = Ops.Add(
            Losses.InfoNce(Ops.GatherRows(rows.C, distinctUsers), sigmaUsers, _s.Temperature),
            Losses.InfoNce(Ops.GatherRows(rows.C, Triples.Shift(items, _users)), Sigma(items), _s.Temperature));
        return Ops.Add(loss, Ops.Scale(cl, _s.ClWeight));
    }

    /// <summary>
    /// What a training step reads: C for all entities; σ_I and p_I for all items; σ and p at
    /// <c>userRows</c> (null when there are none).
    /// </summary>
    internal sealed record StepRows(Variable C, Variable SigmaItems, Variable ContentItems, Variable? SigmaUsers, Variable? ContentUsers);

    /// <summary>
    /// <see cref="Forward(GraphState, out ForwardParts)"/> restricted to what a step reads: σ for every
    /// item (the semantic graph's weights need Z_I anyway) but only for the users in
    /// <paramref name="userRows"/> (repeats allowed, in that order). Each row is computed by the same
    /// operations as in the full pass, so it has the same bits.
    /// </summary>
    internal StepRows TrainingRows(GraphState state, int[] userRows, out ForwardParts parts)
    {
        var c = Propagation.LayerMean(_trainingAdjacency, _embedding, _s.UserItemLayers, transposed: _trainingAdjacency);
        var (zItems, zUsers) = RepresentationRows(state.Neighborhood, userRows, out var profileUsers, out var profileItems, out var userMean);
        var contentItems = Ops.MatMul(zItems, _wo);                                                                   // p_I = Z_I·W_o
        var contentUsers = zUsers is null ? null : Ops.MatMul(zUsers, _wo);
        if (!_s.ItemGraph)                                                                                            // w/o item graph: σ = p
        {
            parts = new ForwardParts(null, null, profileUsers, profileItems, null, userMean);
            return new StepRows(c, contentItems, contentItems, contentUsers, contentUsers);
        }
        var semanticItems = PropagateSemantic(state.Graphs, zItems, Ops.SliceRows(c, _users, _items));               // s_I
        var semanticUsers = _aggregation.Apply(semanticItems);                                                        // s_U
        parts = new ForwardParts(semanticUsers, semanticItems, profileUsers, profileItems, null, userMean);
        var sigmaUsers = contentUsers is null ? null : Ops.Add(Ops.GatherRows(semanticUsers, userRows), contentUsers);
        return new StepRows(c, Ops.Add(semanticItems, contentItems), contentItems, sigmaUsers, contentUsers);     // σ = s + p
    }

    /// <summary>
    /// (Z_I, Z at <paramref name="userRows"/>, null when empty) for a training step. Users are refined
    /// on their own rows when RCA is row-local (and <see cref="RefineNeededUsersOnly"/>): with
    /// M ≫ N most of the refinement work was on user rows no loss term reads.
    /// </summary>
    (Variable Items, Variable? Users) RepresentationRows(CsrMatrix? neighborhood, int[] userRows, out Variable[] profileUsers, out Variable[] profileItems, out Variable? userMean)
    {
        bool rowLocal = _s.Scope == AttentionScope.Tokens || !_s.Refines;
        userMean = null;
        if (_s.RcaOnItemsOnly || _s.CenterProfiles || !(rowLocal && RefineNeededUsersOnly))   // centring needs every user row
        {
            var z = Representation(neighborhood, refine: true, out profileUsers, out profileItems, out userMean);
            return (Ops.SliceRows(z, _users, _items), userRows.Length == 0 ? null : Ops.GatherRows(z, userRows));
        }
        var f = Projections();
        profileItems = f;
        profileUsers = f.Select(_aggregation.Apply).ToArray();                                        // F_U^m = AGG_{i∈N_u} F_I^m
        var items = Fuse(_s.Refines ? _rca.Refine(f, neighborhood) : f);
        if (userRows.Length == 0) return (items, null);
        var users = profileUsers.Select(u => Ops.GatherRows(u, userRows)).ToArray();
        return (items, Fuse(_s.Refines ? _rca.Refine(users, neighborhood) : users));
    }

    /// <summary>F^m = X^m W_m + b_m for every modality (N×d each).</summary>
    Variable[] Projections()
    {
        var f = new Variable[_modalities.Length];
        for (int m = 0; m < f.Length; m++) f[m] = Ops.Add(Ops.MatMul(_features[m], _w[m]), _b[m]);
        return f;
    }

    /// <summary>
    /// <c>leave_one_out</c>: the semantic representation of each BPR pair's user (u, i⁺) with i⁺
    /// left out of both of u's profiles, σ_u⁻ⁱ = AGG_{N_u∖i⁺} s_i + p_u⁻ⁱ with p_u⁻ⁱ = Z_u⁻ⁱ·W_o, where
    /// Z_u⁻ⁱ fuses AGG_{N_u∖i⁺} F^m (sum or mean; RCA's tokens scope is row-local, so the B rows are
    /// refined on their own); and p_u⁻ⁱ. A test item is never in N_u; without this a training
    /// positive is matched against itself.
    /// </summary>
    (Variable Sigma, Variable Content) LeaveOneOutUsers(TrainingBatch batch, ForwardParts parts)
    {
        var content = new Variable[parts.ProfileItems.Length];
        for (int m = 0; m < content.Length; m++)
            content[m] = _aggregation.LeaveOut(parts.ProfileUsers[m], parts.ProfileItems[m], batch.Users, batch.Positives);   // AGG_{N_u∖i⁺} F^m
        if (!_s.RcaOnItemsOnly && _s.Refines) content = _rca.Refine(content, null);
        var z = Fuse(content);
        if (parts.UserMean is not null) z = Ops.Sub(z, parts.UserMean);                                                       // center_profiles
        var p = Ops.MatMul(z, _wo);                                                                                            // p_u⁻ⁱ = Z_u⁻ⁱ·W_o
        if (parts.Semantic is null) return (p, p);                                                                            // w/o item graph: σ = p
        var semantic = _aggregation.LeaveOut(parts.Semantic, parts.SemanticItems!, batch.Users, batch.Positives);              // AGG_{N_u∖i⁺} s_i
        return (Ops.Add(semantic, p), p);
    }

    /// <summary>
    /// <c>center_profiles</c>: Z with its M user rows minus their mean row, and that mean (1×|𝓜|d);
    /// otherwise Z unchanged and no mean. The content term p_u = (Z_u − mean_u Z_u)·W_o then holds no
    /// part shared by every user, so p_uᵀi cannot act as one item score for all users.
    /// </summary>
    (Variable Z, Variable? UserMean) CenterUsers(Variable z)
    {
        if (!_s.CenterProfiles) return (z, null);
        var users = Ops.SliceRows(z, 0, _users);
        var mean = Ops.Mean(users, Axis.Rows);
        return (Ops.ConcatRows(Ops.Sub(users, mean), Ops.SliceRows(z, _users, _items)), mean);
    }

    /// <summary>Z from the per-modality rows: their concatenation, or their sum for <c>modality_fusion=sum</c>.</summary>
    Variable Fuse(Variable[] f)
    {
        if (_s.Fusion != ModalityFusion.Sum) return Ops.ConcatColumns(f);
        var z = f[0];
        for (int m = 1; m < f.Length; m++) z = Ops.Add(z, f[m]);
        return z;
    }

    /// <summary>
    /// Rebuilds the semantic graph from the current parameters (so scores depend on the
    /// parameters alone, and a reloaded model scores identically), then computes u and i for
    /// every entity once (late fusion: [c ‖ σ], whose inner products are c_uᵀc_i + σ_uᵀσ_i).
    /// </summary>
    protected override (Tensor Users, Tensor Items) ScoringTables()
    {
        var (fused, c, sigma) = Forward(BuildGraph(), out _);
        var final = (_s.Views == ViewFusion.Late ? Ops.ConcatColumns([c, sigma]) : fused).Value;
        return IdEmbedding.Split(final, _users);
    }

    /// <summary>The final rows u / i, the collaborative view C and the semantic representation σ, for all M+N entities.</summary>
    internal (Variable Final, Variable Collaborative, Variable Semantic) Forward(GraphState state) => Forward(state, out _);

    /// <summary>
    /// The pieces the leave-one-out user rows are built from: s_U in the first M rows of
    /// <c>Semantic</c> ([s_U ; s_I] from the full pass, s_U alone from a training step) and s_I
    /// (N×d), both null without the item graph; per modality the unrefined user profiles F_U^m
    /// (M×d) and the item rows they sum (N×d); and, from the full pass only, the content term
    /// p = Z·W_o of all M+N entities; with <c>center_profiles</c>, the mean user row of Z that is
    /// subtracted from every user row (null otherwise).
    /// </summary>
    internal sealed record ForwardParts(Variable? Semantic, Variable? SemanticItems, Variable[] ProfileUsers, Variable[] ProfileItems, Variable? Content, Variable? UserMean);

    /// <summary><see cref="Forward(GraphState)"/>, also giving the <see cref="ForwardParts"/>.</summary>
    internal (Variable Final, Variable Collaborative, Variable Semantic) Forward(GraphState state, out ForwardParts parts)
    {
        var c = Propagation.LayerMean(_adjacency, _embedding, _s.UserItemLayers, transposed: _adjacency);
        var z = Representation(state.Neighborhood, refine: true, out var profileUsers, out var profileItems, out var userMean);
        var content = Ops.MatMul(z, _wo);                                                                               // p = Z·W_o
        if (!_s.ItemGraph)
        {
            parts = new ForwardParts(null, null, profileUsers, profileItems, content, userMean);
            return (Ops.Add(c, content), c, content);                                                                   // w/o item graph: σ = p
        }
        var semanticItems = PropagateSemantic(state.Graphs, Ops.SliceRows(z, _users, _items), Ops.SliceRows(c, _users, _items));  // s_I
        var semantic = Ops.ConcatRows(_aggregation.Apply(semanticItems), semanticItems);                            // [s_U ; s_I]
        var sigma = Ops.Add(semantic, content);                                                                         // σ = s + p
        parts = new ForwardParts(semantic, semanticItems, profileUsers, profileItems, content, userMean);
        return (Ops.Add(c, sigma), c, sigma);
    }

    /// <summary>
    /// s_I = S̃^{L_ii}·c_I (s_I⁽⁰⁾ = c_I), or with <c>ii_layer_mean</c> the mean of s_I⁽⁰⁾ … s_I⁽ᴸ⁾ (as C on
    /// the user–item side), with S̃'s live weights from Z_I; for
    /// <c>modality_fusion=graph_average</c> S̃ = (1/|𝓜|)·Σ_m S̃_m, S̃_m weighted from modality m's block of Z_I.
    /// </summary>
    Variable PropagateSemantic(SemanticGraph[] graphs, Variable zItems, Variable cItems)
    {
        int d = _s.EmbeddingSize;
        var weights = graphs.Length == 1
            ? [graphs[0].NormalizedWeights(zItems)]
            : graphs.Select((g, m) => g.NormalizedWeights(Ops.SliceColumns(zItems, m * d, d))).ToArray();
        var s = cItems;
        var layerSum = cItems;
        for (int l = 0; l < _s.ItemItemLayers; l++)
        {
            var next = graphs[0].Step(weights[0], s);
            for (int m = 1; m < graphs.Length; m++) next = Ops.Add(next, graphs[m].Step(weights[m], s));
            s = graphs.Length == 1 ? next : Ops.Scale(next, 1f / graphs.Length);
            if (_s.ItemItemLayerMean) layerSum = Ops.Add(layerSum, s);
        }
        return _s.ItemItemLayerMean && _s.ItemItemLayers > 0 ? Ops.Scale(layerSum, 1f / (_s.ItemItemLayers + 1)) : s;
    }

    /// <summary>
    /// Z for all M+N entities, (M+N)×|𝓜|d: the projections F^m (user rows by AGG), refined by R
    /// RCA recursions when <paramref name="refine"/>. With <c>rca_entities=items</c> the items are
    /// refined first and the user profiles aggregate the refined item rows.
    /// </summary>
    internal Variable Representation(CsrMatrix? neighborhood, bool refine) => Representation(neighborhood, refine, out _, out _, out _);

    /// <summary>
    /// <see cref="Representation(CsrMatrix?, bool)"/>, also giving per modality the user profiles before RCA and the item rows
    /// AGG summed into them, and with <c>center_profiles</c> the mean user row subtracted (see <see cref="CenterUsers"/>).
    /// </summary>
    Variable Representation(CsrMatrix? neighborhood, bool refine, out Variable[] profileUsers, out Variable[] profileItems, out Variable? userMean)
    {
        var f = Projections();                                                                        // F^m = X^m W_m + b_m
        refine &= _s.Refines;
        if (_s.RcaOnItemsOnly && refine) f = _rca.Refine(f, neighborhood);
        profileItems = f;
        profileUsers = f.Select(_aggregation.Apply).ToArray();                                        // F_U^m = AGG_{i∈N_u} F_I^m
        Variable z;
        if (_s.RcaOnItemsOnly) z = Ops.ConcatRows(Fuse(profileUsers), Fuse(f));
        else
        {
            var entities = profileUsers.Zip(f, (user, item) => Ops.ConcatRows(user, item)).ToArray();
            z = Fuse(refine ? _rca.Refine(entities, neighborhood) : entities);
        }
        (z, userMean) = CenterUsers(z);
        return z;
    }

    /// <summary>
    /// The semantic graph from detached Z_I. The <c>neighbors</c> scope needs a graph to compute
    /// Z, so it first builds one from the unrefined projections.
    /// </summary>
    internal GraphState BuildGraph()
    {
        bool attendsNeighbors = _s.Scope == AttentionScope.Neighbors && _s.Refines;
        CsrMatrix? neighborhood = null;
        if (attendsNeighbors)
            neighborhood = Neighborhood(SemanticGraph.Build(ItemRows(Representation(null, refine: false).Value), _s.KnnK));
        if (!_s.ItemGraph && !attendsNeighbors) return new GraphState([], null);
        var z = ItemRepresentation(neighborhood);
        SemanticGraph[] graphs = _s.Fusion == ModalityFusion.GraphAverage
            ? Enumerable.Range(0, _modalities.Length).Select(m => SemanticGraph.Build(Ops.SliceColumns(Variable.Constant(z), m * _s.EmbeddingSize, _s.EmbeddingSize).Value, _s.KnnK)).ToArray()
            : [SemanticGraph.Build(z, _s.KnnK)];
        return new GraphState(graphs, attendsNeighbors ? Neighborhood(graphs[0]) : null);
    }

    /// <summary>Z_I, detached; no user row is refined for it when RCA is row-local.</summary>
    internal Tensor ItemRepresentation(CsrMatrix? neighborhood) => RepresentationRows(neighborhood, [], out _, out _, out _).Items.Value;

    Tensor ItemRows(Tensor z) => new(_items, z.Cols, z.Data.AsSpan(_users * z.Cols).ToArray());

    /// <summary>
    /// RCA's neighbourhood for the <c>neighbors</c> scope, over RCA's entity rows: each item attends
    /// over itself and its k_att nearest items; each user (when users are refined) over itself and
    /// its training items.
    /// </summary>
    CsrMatrix Neighborhood(SemanticGraph graph)
    {
        var knn = graph.Neighbors;
        int kAtt = Math.Min(_s.AttentionNeighbors, knn.K);
        int offset = _s.RcaOnItemsOnly ? 0 : _users;
        List<int> rows = [], cols = [];
        if (!_s.RcaOnItemsOnly)
        {
            var r = _aggregation.TrainMatrix;
            for (int u = 0; u < _users; u++)
            {
                rows.Add(u); cols.Add(u);
                foreach (int i in r.RowIndices(u)) { rows.Add(u); cols.Add(offset + i); }
            }
        }
        for (int i = 0; i < _items; i++)
        {
            rows.Add(offset + i); cols.Add(offset + i);
            for (int j = 0; j < kAtt; j++) { rows.Add(offset + i); cols.Add(offset + knn.Neighbors[i * knn.K + j]); }
        }
        int n = offset + _items;
        return CsrMatrix.FromCoo(n, n, rows.ToArray(), cols.ToArray(), new float[rows.Count]);
    }

}
