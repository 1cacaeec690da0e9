using Crane.Autograd;
using Crane.Data;
using Crane.Graphs;
using Crane.Numerics;

namespace Crane.Models;

/// <summary>
/// LATTICE (baselines.md). Collaborative: ē = LightGCN layer mean of the ID table on
/// D̃^{-1}(A+I) (<c>n_ui_layers</c> layers). Content: trainable raw features X_m projected
/// P_m = X_m W_m + b_m; the item graph S of <see cref="LatticeItemGraph"/> with w = softmax(ω);
/// h = S^{n_layers}·E_I^{id}; item = ē_i + rownorm(h_i), user = ē_u. The learned graph is rebuilt
/// (kNN on detached P_m, values live) at each epoch's first batch, whose loss sends gradient
/// through S's values to W_m, b_m, X_m and ω; the epoch's later batches reuse those values
/// detached (MMRec). Scoring rebuilds it from the current parameters.
/// Loss BPR + λ_reg·½(‖u‖² + ‖i⁺‖² + ‖i⁻‖²)/B on the final rows. Learning rate × 0.96^((epoch−1)/50).
/// </summary>
public sealed class Lattice : InnerProductRecommender
{
    /// <summary>The catalog name.</summary>
    public const string Name = "lattice";

    readonly int _users, _items, _itemLayers;
    readonly float _regWeight, _decay, _decayEpochs;
    readonly string[] _modalities;
    readonly CsrMatrix _adjacency, _adjacencyTransposed;   // D̃^{-1}(A+I) and its transpose
    readonly int _uiLayers;
    readonly Variable _embedding;                          // E^{id}, users then items
    readonly Variable[] _features;                         // trainable copies of X_m
    readonly Linear[] _project;                            // W_m, b_m
    readonly Variable _modalWeight;                        // ω (1×|𝓜|), w = softmax(ω)
    readonly LatticeItemGraph _graph;
    (CsrMatrix Structure, Tensor Weights)? _epochGraph;    // S of this epoch's first batch, detached
    bool _rebuild = true;

    /// <summary>A freshly initialised model for <paramref name="data"/> (default settings unless given); draws from the "init" stream of <paramref name="seed"/>.</summary>
    public Lattice(Dataset data, LatticeSettings? settings = null, ulong seed = 999) : this(data, (settings ?? new()).ToModelSettings(), seed) { }

    /// <summary>The same from <c>--set</c> key=value pairs (<see cref="LatticeSettings"/> names the keys).</summary>
    public Lattice(Dataset data, ModelSettings settings, ulong seed)
    {
        Settings = ModelOptions.Read<LatticeSettings>(settings, Name);
        var s = Settings;
        int d = s.EmbeddingSize, k = s.KnnK;
        float lambda = s.LambdaCoeff;
        (_itemLayers, _uiLayers, _regWeight, _decay, _decayEpochs) = (s.ItemLayers, s.UserItemLayers, s.RegWeight, s.LrDecay, s.LrDecayEpochs);
        _modalities = ModalitySelection.Select(s.Modalities!, data.Modalities.Keys, Name);
        if (k > data.ItemCount) throw new ArgumentException($"Setting knn_k={k} exceeds the {data.ItemCount} items.");

        (_users, _items) = (data.UserCount, data.ItemCount);
        _adjacency = UserItemGraph.RowNormalizedWithSelfLoops(data.TrainMatrix);
        _adjacencyTransposed = _adjacency.Transpose();
        var raw = _modalities.Select(m => data.Modalities[m]).ToArray();
        _graph = new LatticeItemGraph(raw, k, lambda);

        var init = Rng.ForStream(seed, "init");
        _embedding = IdEmbedding.Create(data, d, init);
        _features = _modalities.Select((m, i) => Variable.Parameter(raw[i].Clone(), $"feature.{m}")).ToArray();
        _project = _modalities.Select((m, i) => new Linear(raw[i].Cols, d, init, $"project.{m}")).ToArray();
        _modalWeight = Variable.Parameter(Tensor.Filled(1, _modalities.Length, 0.5f), "modal_weight");
    }

    /// <summary>The settings it was built with.</summary>
    public LatticeSettings Settings { get; }

    /// <inheritdoc />
    public override string Kind => Name;

    /// <inheritdoc />
    public override IReadOnlyList<Variable> Parameters => [_embedding, .. _features, .. _project.SelectMany(l => l.Parameters), _modalWeight];

    /// <inheritdoc />
    public override IReadOnlyList<string> UsedModalities => _modalities;

    /// <summary>MMRec's LambdaLR: lr·decay^((epoch − 1)/lr_decay_epochs), the first epoch at the full rate.</summary>
    public override float LearningRateFactor(int epoch) => MathF.Pow(_decay, (epoch - 1) / _decayEpochs);

    /// <inheritdoc />
    public override void BeginEpoch(int epoch, Rng rng) => _rebuild = true;

    /// <summary>The item graph S the last <see cref="Recommender.CreateScorer"/> built (values in its CSR entries).</summary>
    internal CsrMatrix? ScoringGraph { get; private set; }

    /// <inheritdoc />
    public override Variable Loss(TrainingBatch batch)
    {
        Triples.Require(batch, Name);
        CsrMatrix structure;
        Variable weights;
        if (_rebuild || _epochGraph is null)
        {
            (structure, weights) = BuildGraph(p => p, differentiable: true);
            _epochGraph = (structure, weights.Value);
            _rebuild = false;
        }
        else (structure, weights) = (_epochGraph.Value.Structure, Variable.Constant(_epochGraph.Value.Weights));

        var (users, items) = Forward(_embedding, structure, weights);
        Variable u = Ops.GatherRows(users, batch.Users), i = Ops.GatherRows(items, batch.Positives), j = Ops.GatherRows(items, batch.Negatives);
        var loss = Losses.Bpr(u, i, j);
        return _regWeight == 0f ? loss : Ops.Add(loss, Ops.Scale(Losses.SquaredL2(u, i, j), 0.5f * _regWeight));
    }

    /// <inheritdoc />
    protected override (Tensor Users, Tensor Items) ScoringTables()
    {
        var (structure, weights) = BuildGraph(p => Variable.Constant(p.Value), differentiable: false);
        ScoringGraph = structure.WithValues(weights.Value.Data);
        var (users, items) = Forward(Variable.Constant(_embedding.Value), structure, weights);
        return (users.Value, items.Value);
    }

    /// <summary>S from P_m = X_m W_m + b_m and w = softmax(ω), reading the parameters through <paramref name="read"/>.</summary>
    (CsrMatrix Structure, Variable Weights) BuildGraph(Func<Variable, Variable> read, bool differentiable)
    {
        var projected = _project.Select((layer, m) => layer.Apply(read(_features[m]), read)).ToArray();
        return _graph.Build(projected, Ops.Softmax(read(_modalWeight)), differentiable);
    }

    /// <summary>(users ē_U, items ē_I + rownorm(S^L·E_I^{id})).</summary>
    (Variable Users, Variable Items) Forward(Variable embedding, CsrMatrix structure, Variable weights)
    {
        var mean = Propagation.LayerMean(_adjacency, embedding, _uiLayers, transposed: _adjacencyTransposed);
        var h = Ops.SliceRows(embedding, _users, _items);
        for (int l = 0; l < _itemLayers; l++) h = Ops.SpMM(structure, weights, h);
        return (Ops.SliceRows(mean, 0, _users), Ops.Add(Ops.SliceRows(mean, _users, _items), Ops.L2Normalize(h)));
    }
}

/// <summary>LATTICE's settings.</summary>
public sealed record LatticeSettings : ModelOptions
{
    /// <summary>d, the embedding width (<c>embedding_size</c>).</summary>
    [Setting("embedding_size", Min = 1, Max = SettingLimits.Width, Why = SettingLimits.WidthWhy)] public int EmbeddingSize { get; init; } = 64;

    /// <summary>k of the kNN item graphs (<c>knn_k</c>).</summary>
    [Setting("knn_k", Min = 1, Max = SettingLimits.Neighbors, Why = SettingLimits.NeighborsWhy)] public int KnnK { get; init; } = FeatureItemGraph.DefaultK;

    /// <summary>λ: the share of the original kNN graph in the mix with the learned one (<c>lambda_coeff</c>).</summary>
    [Setting("lambda_coeff", Min = 0, Max = 1)] public float LambdaCoeff { get; init; } = 0.9f;

    /// <summary>Propagation steps on the item graph (<c>n_layers</c>).</summary>
    [Setting("n_layers", Min = 0, Max = SettingLimits.Layers, Why = SettingLimits.LayersWhy)] public int ItemLayers { get; init; } = 1;

    /// <summary>LightGCN layers on the user–item graph (<c>n_ui_layers</c>).</summary>
    [Setting("n_ui_layers", Min = 0, Max = SettingLimits.Layers, Why = SettingLimits.LayersWhy)] public int UserItemLayers { get; init; } = 2;

    /// <summary>λ of the EmbLoss (<c>reg_weight</c>).</summary>
    [Setting("reg_weight", Min = 0)] public float RegWeight { get; init; } = 1e-4f;

    /// <summary>The learning-rate factor per <c>lr_decay_epochs</c> epochs (<c>lr_decay</c>; MMRec's LambdaLR).</summary>
    [Setting("lr_decay", Above = 0, Max = 1)] public float LrDecay { get; init; } = 0.96f;

    /// <summary>Epochs per factor of <c>lr_decay</c> (<c>lr_decay_epochs</c>).</summary>
    [Setting("lr_decay_epochs", Above = 0)] public float LrDecayEpochs { get; init; } = 50f;

    /// <summary>"all" or a comma list of modalities (<c>modalities</c>).</summary>
    [Setting("modalities")] public string? Modalities { get; init; } = "all";
}
