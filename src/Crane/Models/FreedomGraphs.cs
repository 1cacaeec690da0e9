using Crane.Autograd;
using Crane.Data;
using Crane.Graphs;
using Crane.Numerics;

namespace Crane.Models;

/// <summary>
/// What FREEDOM and crane-released share (baselines.md FREEDOM, crane-spec.md §7): the chosen
/// modalities, the frozen raw-feature item graph S = Σₘ wₘ·Sₘ (k nearest by cosine, self
/// included, 1/k each), the full Â for scoring, and this epoch's degree-pruned Â for training.
/// Settings: <see cref="FreedomGraphSettings"/>.
/// </summary>
internal sealed class FreedomGraphs
{
    readonly CsrMatrix _itemGraph, _itemGraphTransposed, _full;
    readonly DegreeSensitivePruning? _pruning;
    CsrMatrix _training;

    /// <summary>The modality names, in the order of <see cref="Features"/>.</summary>
    public string[] Modalities { get; }

    /// <summary>The raw feature tables of <see cref="Modalities"/> (as read; models copy them to train them).</summary>
    public Tensor[] Features { get; }

    /// <summary>LightGCN layers on the user–item graph.</summary>
    public int UiLayers { get; }

    /// <summary>Propagation steps on the item graph S.</summary>
    public int MmLayers { get; }

    public FreedomGraphs(Dataset data, FreedomGraphSettings settings, string model)
    {
        var mix = ModalityMix.Of(data, settings.Modalities!, settings.ModalityWeights, model);
        Modalities = mix.Modalities;
        Features = mix.Features;
        int k = settings.KnnK;
        float dropout = settings.Dropout;
        (UiLayers, MmLayers) = (settings.UserItemLayers, settings.ItemItemLayers);

        if (k > data.ItemCount) throw new ArgumentException($"Setting knn_k={k} exceeds the {data.ItemCount} items.");

        _itemGraph = FeatureItemGraph.Mixed(mix.Pairs, k);
        _itemGraphTransposed = _itemGraph.Transpose();
        _full = UserItemGraph.NormalizedAdjacency(data);
        _pruning = dropout > 0f ? new DegreeSensitivePruning(data.TrainMatrix, dropout) : null;
        _training = _full;
    }

    /// <summary>Prunes this epoch's training graph (the full Â when dropout = 0).</summary>
    public void BeginEpoch(Rng rng) => _training = _pruning?.Prune(rng) ?? _full;

    /// <summary>
    /// LightGCN's layer mean of <paramref name="embedding"/> ((M+N)×d): on this epoch's pruned
    /// graph in training (the full Â until the first epoch begins), on the full Â for scoring.
    /// </summary>
    public Variable Collaborative(Variable embedding, bool training)
    {
        var graph = training ? _training : _full;
        return Propagation.LayerMean(graph, embedding, UiLayers, transposed: graph);
    }

    /// <summary>h = S^L·x: <see cref="MmLayers"/> products with the frozen item graph.</summary>
    public Variable PropagateItems(Variable x)
    {
        for (int l = 0; l < MmLayers; l++) x = Ops.SpMM(_itemGraph, x, transposed: _itemGraphTransposed);
        return x;
    }

    /// <summary>Trainable copies of the raw feature tables (MMRec freeze=False), named feature.&lt;modality&gt;.</summary>
    public Variable[] TrainableFeatures() =>
        Modalities.Select((m, i) => Variable.Parameter(Features[i].Clone(), $"feature.{m}")).ToArray();

    /// <summary>Scoring tables from (c, h): users c_u, items c_i + h_i.</summary>
    public static (Tensor Users, Tensor Items) ScoringTables(Tensor collaborative, Tensor content, int users)
    {
        var (u, i) = IdEmbedding.Split(collaborative, users);
        System.Numerics.Tensors.TensorPrimitives.Add(i.Data, content.Data, i.Data);
        return (u, i);
    }
}

/// <summary>The item graph and pruning settings FREEDOM and crane-released share (MMRec's names).</summary>
public abstract record FreedomGraphSettings : ModelOptions
{
    /// <summary>The modalities whose raw-feature kNN graphs are mixed (<c>modalities</c>).</summary>
    [Setting("modalities")] public string? Modalities { get; init; } = "image,text";

    /// <summary>Their weights in S = Σₘ wₘ·Sₘ, one per modality (<c>modality_weights</c>).</summary>
    [Setting("modality_weights")] public string ModalityWeights { get; init; } = "0.1,0.9";

    /// <summary>k of each kNN graph (<c>knn_k</c>).</summary>
    [Setting("knn_k", Min = 1, Max = SettingLimits.Neighbors, Why = SettingLimits.NeighborsWhy)] public int KnnK { get; init; } = FeatureItemGraph.DefaultK;

    /// <summary>p, the share of user–item edges pruned each epoch, degree-sensitively (<c>dropout</c>; 0: none).</summary>
    [Setting("dropout", Min = 0, Below = 1)] public float Dropout { get; init; } = 0.8f;

    /// <summary>LightGCN layers on the user–item graph (<c>n_ui_layers</c>).</summary>
    [Setting("n_ui_layers", Min = 0, Max = SettingLimits.Layers, Why = SettingLimits.LayersWhy)] public int UserItemLayers { get; init; } = 2;

    /// <summary>Propagation steps on the item graph S (<c>n_mm_layers</c>).</summary>
    [Setting("n_mm_layers", Min = 0, Max = SettingLimits.Layers, Why = SettingLimits.LayersWhy)] public int ItemItemLayers { get; init; } = 1;
}
