using Crane.Data;

namespace Crane.Models;

/// <summary>Every model by name: how to build one for a dataset.</summary>
public static class ModelCatalog
{
    static readonly (string Name, Func<Dataset, ModelSettings, ulong, Recommender> Create)[] Models =
    [
        (Bpr.Name, (data, settings, seed) => new Bpr(data, settings, seed)),
        (LightGcn.Name, (data, settings, seed) => new LightGcn(data, settings, seed)),
        (CraneModel.Name, (data, settings, seed) => new CraneModel(data, settings, seed)),
        (CraneReleased.Name, (data, settings, seed) => new CraneReleased(data, settings, seed)),
        (Freedom.Name, (data, settings, seed) => new Freedom(data, settings, seed)),
        (Vbpr.Name, (data, settings, seed) => new Vbpr(data, settings, seed)),
        (Mmgcn.Name, (data, settings, seed) => new Mmgcn(data, settings, seed)),
        (SlmRec.Name, (data, settings, seed) => new SlmRec(data, settings, seed)),
        (Lattice.Name, (data, settings, seed) => new Lattice(data, settings, seed)),
        (LgmRec.Name, (data, settings, seed) => new LgmRec(data, settings, seed)),
        (Dgvae.Name, (data, settings, seed) => new Dgvae(data, settings, seed)),
        (Lpic.Name, (data, settings, seed) => new Lpic(data, settings, seed)),
    ];

    /// <summary>Names users can pass to --model.</summary>
    public static IReadOnlyList<string> Names { get; } = Models.Select(m => m.Name).ToArray();

    /// <summary>Labels that listings show beside a name (e.g. lpic is "LPIC (reconstructed)").</summary>
    static readonly Dictionary<string, string> Labels = new(StringComparer.Ordinal)
    {
        [Lpic.Name] = Lpic.Label,
    };

    /// <summary>The names for listings, each with its label where it has one: "bpr, …, lpic (LPIC (reconstructed))".</summary>
    public static string Listing => string.Join(", ", Names.Select(Display));

    /// <summary>How output names a model: its name, followed by its label in parentheses where it has one ("lpic (LPIC (reconstructed))").</summary>
    public static string Display(string name) => Labels.TryGetValue(name, out var label) ? $"{name} ({label})" : name;

    /// <summary>
    /// A freshly initialised model. Reads its hyper-parameters from <paramref name="settings"/>
    /// (and rejects unknown keys); all randomness comes from <paramref name="seed"/>.
    /// Names are matched ignoring case.
    /// </summary>
    /// <exception cref="ArgumentException">An unknown model name (the message lists the known ones), or a bad setting.</exception>
    public static Recommender Create(string name, Dataset data, ModelSettings settings, ulong seed)
    {
        foreach (var model in Models)
            if (string.Equals(model.Name, name, StringComparison.OrdinalIgnoreCase))
                return model.Create(data, settings, seed);
        throw new ArgumentException($"Unknown model '{name}'. Known models: {Listing}.", nameof(name));
    }
}
