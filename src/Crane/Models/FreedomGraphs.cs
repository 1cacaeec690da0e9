using Crane.Autograd;
using Crane.Data;
using Crane.Graphs;
using Crane.Numerics;

namespace Crane.Models;

/// <summary>
/// What FREEDOM and crane-released share (baselines.md FREEDOM, crane-spec.md §7): the chosen
/// modalities, the frozen raw-feature item graph S = Σₘ wₘ·Sₘ (k nearest by cosine, self
/// included, 1/k each), the full Â for scoring, and this epoch's degree-pruned Â for training.
/// Settings (MMRec's names): <c>modalities</c> (image,text), <c>modality_weights</c> (0.1,0.9),
/// <c>knn_k</c> (10), <c>dropout</c> (the pruning rate p, 0.8), <c>n_ui_layers</c> (2),
/// <c>n_mm_layers</c> (1).
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

    public FreedomGraphs(Dataset data, ModelSettings settings, string model)
    {
        var mix = ModalityMix.Read(data, settings, model, "image,text", "0.1,0.9");
        Modalities = mix.Modalities;
        Features = mix.Features;
        int k = settings.Int("knn_k", FeatureItemGraph.DefaultK, min: 1);
        float dropout = settings.Float("dropout", 0.8f, min: 0f, below: 1f); // the pruning rate p
        UiLayers = settings.Int("n_ui_layers", 2, min: 0);
        MmLayers = settings.Int("n_mm_layers", 1, min: 0);

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
