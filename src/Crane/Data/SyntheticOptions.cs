namespace Crane.Data;

/// <summary>
/// One synthetic item modality: <c>x_i = Informativeness · z_i·W / √k + Noise · ε_i</c>, where z_i
/// is the item's latent vector (its cluster's centre plus jitter), W a random k × Dimension
/// projection of this modality and ε_i unit-variance, approximately normal noise. Informativeness 0 gives pure noise.
/// </summary>
/// <param name="Name">Modality name ("image", "text", …).</param>
/// <param name="Dimension">Feature width D.</param>
/// <param name="Informativeness">Scale of the latent (cluster) signal.</param>
/// <param name="Noise">Scale of the per-item noise.</param>
public sealed record ModalitySpec(string Name, int Dimension, float Informativeness = 1f, float Noise = 1f);

/// <summary>Parameters of <see cref="SyntheticGenerator"/>; see the presets and docs/data-format.md.</summary>
public sealed record SyntheticOptions
{
    /// <summary>Dataset name.</summary>
    public string Name { get; init; } = "synthetic";

    /// <summary>Users M.</summary>
    public int Users { get; init; } = 300;

    /// <summary>Items N (every item gets at least one interaction).</summary>
    public int Items { get; init; } = 200;

    /// <summary>Latent clusters shared by users and items.</summary>
    public int Clusters { get; init; } = 8;

    /// <summary>Fewest interactions per user (5 mimics a 5-core set).</summary>
    public int MinDegree { get; init; } = 5;

    /// <summary>Mean interactions per user: MinDegree plus a geometric excess.</summary>
    public double MeanDegree { get; init; } = 8.3;

    /// <summary>Share of a user's picks drawn from their own cluster; the rest follow global popularity.</summary>
    public double Affinity { get; init; } = 0.8;

    /// <summary>Zipf exponent s of item popularity: the item of popularity rank r has weight (r + 1)^−s.</summary>
    public double PopularityExponent { get; init; } = 1.0;

    /// <summary>Width k of the latent item vectors behind the features.</summary>
    public int LatentDimension { get; init; } = 16;

    /// <summary>Standard deviation of an item's latent vector around its cluster centre (centres are standard normal).</summary>
    public float LatentJitter { get; init; } = 0.5f;

    /// <summary>Item modalities (features are generated on first access).</summary>
    public IReadOnlyList<ModalitySpec> Modalities { get; init; } = [new("image", 32), new("text", 16, 0.7f)];

    /// <summary>Seed of every draw.</summary>
    public ulong Seed { get; init; } = 999;

    /// <summary>Tests: 300 users, 200 items, 8 clusters, image 32-d and text 16-d.</summary>
    public static SyntheticOptions Tiny => new();

    /// <summary>The demo: 3,000 users, 1,500 items, 20 clusters, image 64-d and text 32-d.</summary>
    public static SyntheticOptions Demo => new()
    {
        Name = "demo", Users = 3000, Items = 1500, Clusters = 20,
        Modalities = [new("image", 64, 1f, 1f), new("text", 32, 0.8f, 1f)],
    };

    /// <summary>Amazon Baby's shape: 19,445 users, 7,050 items, ~160 k interactions, image 4096-d and text 384-d.</summary>
    public static SyntheticOptions Baby => new()
    {
        Name = "baby-synthetic", Users = 19445, Items = 7050, Clusters = 50, MeanDegree = 8.27,
        Modalities = [new("image", 4096, 1f, 2f), new("text", 384, 1f, 1f)],
    };

    /// <summary>Amazon Electronics' shape: 192,403 users, 63,001 items, ~1.69 M interactions, image 4096-d and text 384-d.</summary>
    public static SyntheticOptions Electronics => new()
    {
        Name = "electronics-synthetic", Users = 192403, Items = 63001, Clusters = 200, MeanDegree = 8.78,
        Modalities = [new("image", 4096, 1f, 2f), new("text", 384, 1f, 1f)],
    };

    /// <summary>Preset names for <see cref="Preset"/>.</summary>
    public static IReadOnlyList<string> PresetNames { get; } = ["tiny", "demo", "baby", "electronics"];

    /// <summary>A preset by name (tiny, demo, baby, electronics).</summary>
    public static SyntheticOptions Preset(string name) => name switch
    {
        "tiny" => Tiny,
        "demo" => Demo,
        "baby" => Baby,
        "electronics" => Electronics,
        _ => throw new ArgumentException($"Unknown synthetic preset '{name}'; presets: {string.Join(", ", PresetNames)}."),
    };
}
