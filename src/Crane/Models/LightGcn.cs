using Crane.Autograd;
using Crane.Data;
using Crane.Graphs;
using Crane.Numerics;

namespace Crane.Models;

/// <summary>
/// LightGCN (baselines.md): one table E⁰ of the M users then the N items, propagated L times on
/// the normalised graph Â with the layer mean Ē = (1/(L+1))·Σₗ Âˡ·E⁰; score ⟨ē_u, ē_i⟩; loss
/// BPR on Ē + λ·EmbLoss on the <b>layer-0</b> rows of u, i⁺, i⁻. Each training batch
/// propagates the full graph, as MMRec does, except where only the batch's rows can matter
/// (the last layer, and backward's first product), which changes no bit of the result.
/// Settings: <see cref="LightGcnSettings"/>.
/// </summary>
public sealed class LightGcn : InnerProductRecommender
{
    /// <summary>The catalog name.</summary>
    public const string Name = "lightgcn";

    readonly int _users, _layers;
    readonly float _regWeight;
    readonly CsrMatrix _graph;
    readonly Variable _embedding;
    readonly PropagationWorkspace _workspace = new();

    /// <summary>A freshly initialised model for <paramref name="data"/> (default settings unless given); draws from the "init" stream of <paramref name="seed"/>.</summary>
    public LightGcn(Dataset data, LightGcnSettings? settings = null, ulong seed = 999) : this(data, (settings ?? new()).ToModelSettings(), seed) { }

    /// <summary>The same from <c>--set</c> key=value pairs (<see cref="LightGcnSettings"/> names the keys).</summary>
    public LightGcn(Dataset data, ModelSettings settings, ulong seed)
    {
        Settings = ModelOptions.Read<LightGcnSettings>(settings, Name);
        int d = Settings.EmbeddingSize;
        (_layers, _regWeight) = (Settings.Layers, Settings.RegWeight);

        _users = data.UserCount;
        _graph = UserItemGraph.NormalizedAdjacency(data);
        _embedding = IdEmbedding.Create(data, d, Rng.ForStream(seed, "init"));
    }

    /// <inheritdoc />
    public override string Kind => Name;

    /// <inheritdoc />
    public override IReadOnlyList<Variable> Parameters => [_embedding];

    /// <summary>The settings it was built with.</summary>
    public LightGcnSettings Settings { get; }

    /// <summary>Propagation layers L.</summary>
    public int Layers => _layers;

    /// <inheritdoc />
    public override Variable Loss(TrainingBatch batch)
    {
        Triples.Require(batch, Name);
        int[] pos = Triples.Shift(batch.Positives, _users), neg = Triples.Shift(batch.Negatives, _users);
        // The loss reads the layer mean at the batch's nodes only, so only those rows are
        // propagated through the last layer (exact; see LayerMeanAt). Â is symmetric, so it
        // serves as its own transpose in the backward pass.
        var at = BatchNodes.Of(_graph.Rows, batch.Users, pos, neg);
        var mean = Propagation.LayerMeanAt(_graph, _embedding, _layers, at.Nodes, transposed: _graph, _workspace);
        var bpr = Losses.Bpr(Ops.GatherRows(mean, at.Positions[0]), Ops.GatherRows(mean, at.Positions[1]), Ops.GatherRows(mean, at.Positions[2]));
        var reg = Losses.Emb(Ops.GatherRows(_embedding, batch.Users), Ops.GatherRows(_embedding, pos), Ops.GatherRows(_embedding, neg));
        return Ops.Add(bpr, Ops.Scale(reg, _regWeight));
    }

    /// <inheritdoc />
    protected override (Tensor Users, Tensor Items) ScoringTables()
        => IdEmbedding.Split(Propagation.LayerMean(_graph, _embedding.Value, _layers), _users);
}

/// <summary>LightGCN's settings.</summary>
public sealed record LightGcnSettings : ModelOptions
{
    /// <summary>d, the embedding width (<c>embedding_size</c>).</summary>
    [Setting("embedding_size", Min = 1, Max = SettingLimits.Width, Why = SettingLimits.WidthWhy)] public int EmbeddingSize { get; init; } = 64;

    /// <summary>L, the propagation layers (<c>n_layers</c>; 0 is matrix factorisation).</summary>
    [Setting("n_layers", Min = 0, Max = SettingLimits.Layers, Why = SettingLimits.LayersWhy)] public int Layers { get; init; } = 2;

    /// <summary>λ of the EmbLoss on the layer-0 rows (<c>reg_weight</c>).</summary>
    [Setting("reg_weight", Min = 0)] public float RegWeight { get; init; } = 1e-4f;
}
