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
/// <c>graph_refresh</c> epochs, weights live); semantic view s_I = S̃^{L_ii} c_I, s_u = AGG s_I;
/// dual fusion σ = s + Z·W_o, u = c_u + σ_u, i = c_i + σ_i, score uᵀi. Loss BPR +
/// λ_cl·[InfoNCE(c_U, σ_U) + InfoNCE(c_I, σ_I)] on the batch's distinct users and positive items +
/// λ_reg·(‖e⁰_u‖² + ‖e⁰_i⁺‖² + ‖e⁰_i⁻‖²)/B. Settings: <see cref="CraneSettings"/>.
/// Rows of every entity table: the M users, then the N items.
/// </summary>
public sealed class CraneModel : Recommender
{
    /// <summary>The catalog name.</summary>
    public const string Name = "crane";

    readonly CraneSettings _s;
    readonly int _users, _items;
    readonly string[] _modalities;
    readonly CsrMatrix _adjacency;                 // Â
    readonly Variable _embedding;                  // E⁰, (M+N)×d
    readonly Variable[] _features, _w, _b;         // X^m, W_m, b_m
    readonly Variable _wo;                         // W_o, |𝓜|d × d
    readonly UserAggregation _aggregation;
    readonly RecursiveCrossModalAttention _rca;
    GraphState? _training;
    Tensor? _userTable, _itemTable;

    /// <summary>The semantic graph and, for the <c>neighbors</c> scope, RCA's attention neighbourhood built from it.</summary>
    internal sealed record GraphState(SemanticGraph Graph, CsrMatrix? Neighborhood);

    /// <summary>A freshly initialised model for <paramref name="data"/>; draws from the "init" stream of <paramref name="seed"/>.</summary>
    public CraneModel(Dataset data, ModelSettings settings, ulong seed)
    {
        _s = CraneSettings.Read(settings, Name);
        _modalities = _s.SelectModalities(data.Modalities.Keys);
        (_users, _items) = (data.UserCount, data.ItemCount);
        int d = _s.EmbeddingSize;
        _adjacency = UserItemGraph.NormalizedAdjacency(data);

        var init = Rng.ForStream(seed, "init");
        _embedding = IdEmbedding.Create(data, d, init);

        _features = _modalities.Select(m => _s.TrainableFeatures
            ? Variable.Parameter(data.Modalities[m].Clone(), $"feature_{m}")
            : Variable.Constant(data.Modalities[m])).ToArray();
        _w = _modalities.Select((m, k) => Variable.Parameter(Init.XavierUniform(new Tensor(_features[k].Cols, d), init), $"W_{m}")).ToArray();
        _b = _modalities.Select(m => Variable.Parameter(new Tensor(1, d), $"b_{m}")).ToArray();
        _rca = new RecursiveCrossModalAttention(_modalities, d, _s.RcaDepth, _s.Scope, _s.PreNorm, _s.FinalNorm, init);
        _wo = Variable.Parameter(Init.XavierUniform(new Tensor(_modalities.Length * d, d), init, _s.ContentInitGain), "W_o");
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

    /// <inheritdoc />
    public override void BeginEpoch(int epoch, Rng rng)
    {
        if (_training is null || (epoch - 1) % _s.GraphRefresh == 0) _training = BuildGraph();
    }

    /// <inheritdoc />
    public override Variable Loss(TrainingBatch batch)
    {
        Scoring.RequireTriples(batch, Name);
        var (final, c, sigma) = Forward(TrainingGraph, out var parts);
        int[] pos = Scoring.Shift(batch.Positives, _users), neg = Scoring.Shift(batch.Negatives, _users);
        var users = _s.LeaveOneOut ? LeaveOneOutUsers(batch, c, parts) : Ops.GatherRows(final, batch.Users);
        var loss = Ops.Add(
            Losses.Bpr(users, Ops.GatherRows(final, pos), users, Ops.GatherRows(final, neg)),
            Ops.Scale(Losses.SquaredL2(Ops.GatherRows(_embedding, batch.Users), Ops.GatherRows(_embedding, pos), Ops.GatherRows(_embedding, neg)), _s.RegWeight));
        if (_s.ClWeight == 0f) return loss;
        int[] userRows = batch.Users.Distinct().ToArray(), items = Scoring.Shift(batch.Positives.Distinct().ToArray(), _users);
        var cl = Ops.Add(
            Losses.InfoNce(Ops.GatherRows(c, userRows), Ops.GatherRows(sigma, userRows), _s.Temperature),
            Losses.InfoNce(Ops.GatherRows(c, items), Ops.GatherRows(sigma, items), _s.Temperature));
        return Ops.Add(loss, Ops.Scale(cl, _s.ClWeight));
    }

    /// <summary>
    /// <c>leave_one_out</c>: the user row of each BPR pair (u, i⁺) with i⁺ left out of both of u's
    /// profiles, u⁻ⁱ = c_u + AGG_{N_u∖i⁺} s_i + Z_u⁻ⁱ·W_o, where Z_u⁻ⁱ refines AGG_{N_u∖i⁺} F^m (sum or
    /// mean; RCA's tokens scope is row-local, so the B rows are refined on their own). A test
    /// item is never in N_u; without this a training positive is matched against itself.
    /// </summary>
    Variable LeaveOneOutUsers(TrainingBatch batch, Variable c, ForwardParts parts)
    {
        var content = new Variable[parts.ProfileItems.Length];
        for (int m = 0; m < content.Length; m++)
            content[m] = _aggregation.LeaveOut(parts.ProfileUsers[m], parts.ProfileItems[m], batch.Users, batch.Positives);   // AGG_{N_u∖i⁺} F^m
        if (!_s.RcaOnItemsOnly) content = _rca.Refine(content, null);
        var semantic = _aggregation.LeaveOut(parts.Semantic, parts.SemanticItems, batch.Users, batch.Positives);               // AGG_{N_u∖i⁺} s_i
        return Ops.Add(Ops.GatherRows(c, batch.Users), Ops.Add(semantic, Ops.MatMul(Ops.ConcatColumns(content), _wo)));
    }

    /// <summary>
    /// Rebuilds the semantic graph from the current parameters (so scores depend on the
    /// parameters alone, and a reloaded model scores identically), then computes u and i for
    /// every entity once.
    /// </summary>
    public override void PrepareForScoring()
    {
        var final = Forward(BuildGraph(), out _).Final.Value;
        int d = final.Cols, userFloats = _users * d;
        _userTable = new Tensor(_users, d, final.Data.AsSpan(0, userFloats).ToArray());
        _itemTable = new Tensor(_items, d, final.Data.AsSpan(userFloats).ToArray());
    }

    /// <inheritdoc />
    public override void Score(ReadOnlySpan<int> users, Tensor scores)
    {
        if (_userTable is null || _itemTable is null)
            throw new InvalidOperationException($"Call {nameof(PrepareForScoring)} before {nameof(Score)}: CRANE scores with the fused tables.");
        Scoring.InnerProducts(_userTable, users, _itemTable, scores);
    }

    /// <summary>The final rows u / i, the collaborative view C and the semantic representation σ, for all M+N entities.</summary>
    internal (Variable Final, Variable Collaborative, Variable Semantic) Forward(GraphState state) => Forward(state, out _);

    /// <summary>
    /// The pieces the leave-one-out user rows are built from: [s_U ; s_I], s_I (N×d), and per
    /// modality the unrefined user profiles F_U^m (M×d) and the item rows they sum (N×d).
    /// </summary>
    internal sealed record ForwardParts(Variable Semantic, Variable SemanticItems, Variable[] ProfileUsers, Variable[] ProfileItems);

    /// <summary><see cref="Forward(GraphState)"/>, also giving the <see cref="ForwardParts"/>.</summary>
    internal (Variable Final, Variable Collaborative, Variable Semantic) Forward(GraphState state, out ForwardParts parts)
    {
        var c = Propagation.LayerMean(_adjacency, _embedding, _s.UserItemLayers, transposed: _adjacency);
        var z = Representation(state.Neighborhood, refine: true, out var profileUsers, out var profileItems);
        var weights = state.Graph.NormalizedWeights(Ops.SliceRows(z, _users, _items));
        var semanticItems = state.Graph.Propagate(weights, Ops.SliceRows(c, _users, _items), _s.ItemItemLayers);  // s_I, from s_I⁽⁰⁾ = c_I
        var semantic = Ops.ConcatRows(_aggregation.Apply(semanticItems), semanticItems);                            // [s_U ; s_I]
        var sigma = Ops.Add(semantic, Ops.MatMul(z, _wo));                                                              // σ = s + Z·W_o
        parts = new ForwardParts(semantic, semanticItems, profileUsers, profileItems);
        return (Ops.Add(c, sigma), c, sigma);
    }

    /// <summary>
    /// Z for all M+N entities, (M+N)×|𝓜|d: the projections F^m (user rows by AGG), refined by R
    /// RCA recursions when <paramref name="refine"/>. With <c>rca_entities=items</c> the items are
    /// refined first and the user profiles aggregate the refined item rows.
    /// </summary>
    internal Variable Representation(CsrMatrix? neighborhood, bool refine) => Representation(neighborhood, refine, out _, out _);

    /// <summary><see cref="Representation(CsrMatrix?, bool)"/>, also giving per modality the user profiles before RCA and the item rows AGG summed into them.</summary>
    Variable Representation(CsrMatrix? neighborhood, bool refine, out Variable[] profileUsers, out Variable[] profileItems)
    {
        var f = new Variable[_modalities.Length];
        for (int m = 0; m < f.Length; m++) f[m] = Ops.Add(Ops.MatMul(_features[m], _w[m]), _b[m]);   // F^m = X^m W_m + b_m
        if (_s.RcaOnItemsOnly && refine) f = _rca.Refine(f, neighborhood);
        profileItems = f;
        profileUsers = f.Select(_aggregation.Apply).ToArray();                                        // F_U^m = AGG_{i∈N_u} F_I^m
        if (_s.RcaOnItemsOnly) return Ops.ConcatRows(Ops.ConcatColumns(profileUsers), Ops.ConcatColumns(f));
        var entities = profileUsers.Zip(f, (user, item) => Ops.ConcatRows(user, item)).ToArray();
        if (refine) entities = _rca.Refine(entities, neighborhood);
        return Ops.ConcatColumns(entities);
    }

    /// <summary>
    /// The semantic graph from detached Z_I. The <c>neighbors</c> scope needs a graph to compute
    /// Z, so it first builds one from the unrefined projections.
    /// </summary>
    GraphState BuildGraph()
    {
        CsrMatrix? neighborhood = null;
        if (_s.Scope == AttentionScope.Neighbors && _s.RcaDepth > 0)
            neighborhood = Neighborhood(SemanticGraph.Build(ItemRows(Representation(null, refine: false).Value), _s.KnnK));
        var graph = SemanticGraph.Build(ItemRows(Representation(neighborhood, refine: true).Value), _s.KnnK);
        return new GraphState(graph, _s.Scope == AttentionScope.Neighbors ? Neighborhood(graph) : null);
    }

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

    /// <inheritdoc />
    public override (Tensor Users, Tensor Items) Representations() => Scoring.Prepared(this, () => (_userTable, _itemTable));
}
