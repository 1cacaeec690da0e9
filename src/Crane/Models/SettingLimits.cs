namespace Crane.Models;

/// <summary>
/// The largest values of the size-like settings, with the reason each error gives: a typo such as
/// n_layers=1000000 would otherwise run silently for minutes inside the first epoch.
/// </summary>
public static class SettingLimits
{
    /// <summary>Embedding and latent widths.</summary>
    public const int Width = 4096;
    /// <summary>Why widths stop at <see cref="Width"/>.</summary>
    public const string WidthWhy = "the field's models use 64 to 512, and every table holds (users + items) × width floats";

    /// <summary>Propagation and refinement depths.</summary>
    public const int Layers = 16;
    /// <summary>Why depths stop at <see cref="Layers"/>.</summary>
    public const string LayersWhy = "the papers use 1 to 4 layers, deeper propagation over-smooths, and every layer is a pass over the whole graph";

    /// <summary>Neighbours per item in a kNN graph or an attention neighbourhood.</summary>
    public const int Neighbors = 1000;
    /// <summary>Why neighbour counts stop at <see cref="Neighbors"/>.</summary>
    public const string NeighborsWhy = "the papers use 5 to 20, and the graph holds items × k entries";

    /// <summary>Attention heads, hyperedges and prototypes.</summary>
    public const int Components = 1024;
    /// <summary>Why these counts stop at <see cref="Components"/>.</summary>
    public const string ComponentsWhy = "the papers use 1 to 256, and each one is a slice of every forward pass";
}
