namespace Crane.Experiments;

/// <summary>How much of each model's grid <c>crane experiment --suite main</c> searches.</summary>
public enum GridMode
{
    /// <summary>Each model's defaults only.</summary>
    None,

    /// <summary>A few points around the defaults, sized for a small machine.</summary>
    Reduced,

    /// <summary>The grid of baselines.md / crane-spec.md §3.</summary>
    Full,
}

/// <summary>
/// The paper's models in the paper's order, each with its grid from baselines.md (crane-spec.md §3
/// for CRANE) and a reduced grid. One table for every model, registered or not: a model that is
/// not in <see cref="Models.ModelCatalog"/> yet is skipped by the suite until it is. Setting names
/// are the models' own (checked against vbpr, mmgcn, slmrec, lattice, lgmrec, dgvae and lpic as
/// their authors wrote them); a model that renames one makes its grid rows report "has no
/// setting …", and this table is where to fix it.
/// </summary>
public static class ModelGrids
{
    static readonly string[] BprRegWeights = ["2", "1", "0.1", "1e-2", "1e-3", "1e-4", "1e-5"];

    /// <summary>Model name → (full grid, reduced grid); null = the defaults only.</summary>
    static readonly (string Model, SettingGrid? Full, SettingGrid? Reduced)[] Table =
    [
        ("bpr", new(("reg_weight", BprRegWeights)), new(("reg_weight", ["0.1", "1e-3", "1e-5"]))),
        ("lightgcn", new(("n_layers", ["1", "2", "3", "4"]), ("reg_weight", ["1e-2", "1e-3", "1e-4", "1e-5", "1e-6"])),
            new(("n_layers", ["2", "3"]), ("reg_weight", ["1e-4", "1e-3"]))),
        ("vbpr", new(("reg_weight", BprRegWeights)), new(("reg_weight", ["0.1", "1e-3", "1e-5"]))),
        ("mmgcn", new(("reg_weight", ["0", "1e-5", "1e-4", "1e-3", "1e-2", "0.1"]), (SettingGrid.LearningRate, ["1e-4", "5e-4", "1e-3", "5e-3", "1e-2"])),
            new(("reg_weight", ["1e-5", "1e-3"]))),
        ("slmrec", new((SettingGrid.LearningRate, ["1e-4", "1e-3", "1e-2", "0.1"]), ("ssl_temp", ["0.1", "0.2", "0.5", "1"]), ("ssl_alpha", ["0.01", "0.05", "0.1", "0.5", "1"])),
            new(("ssl_temp", ["0.2", "0.5"]), ("ssl_alpha", ["0.05", "0.1"]))),
        ("lattice", new(("reg_weight", ["0", "1e-5", "1e-4", "1e-3"]), (SettingGrid.LearningRate, ["1e-4", "5e-4", "1e-3", "5e-3"])),
            new(("reg_weight", ["0", "1e-4"]))),
        ("freedom", new(("dropout", ["0.8", "0.9"]), ("reg_weight", ["0", "1e-5", "1e-4", "1e-3"])),
            new(("dropout", ["0.8", "0.9"]), ("reg_weight", ["1e-4", "1e-3"]))),
        ("lgmrec", null, null),
        ("dgvae", null, null),
        // λ₁ (ID-guided contrast) is LPIC's cl_weight, λ₂ its modal_cl_weight.
        ("lpic", new(("cl_weight", ["1e-3", "1e-2", "0.1"]), ("modal_cl_weight", ["1e-3", "1e-2", "0.1"])),
            new(("cl_weight", ["1e-2", "0.1"]), ("modal_cl_weight", ["1e-2"]))),
        ("crane-released", new(("dropout", ["0.8", "0.9"])), new(("dropout", ["0.8", "0.9"]))),
        // The spec's λ_cl grid plus 0 (no contrastive term).
        ("crane", new(("cl_weight", ["0", "0.01", "0.05", "0.1", "0.2"]), ("tau", ["0.1", "0.2", "0.5"]), ("reg_weight", ["0", "1e-5", "1e-4", "1e-3"])),
            new(("reg_weight", ["1e-5", "1e-4", "1e-3"]))),
    ];

    /// <summary>The models of the table, in the paper's order.</summary>
    public static IReadOnlyList<string> Models { get; } = Table.Select(t => t.Model).ToArray();

    /// <summary>The grid of <paramref name="model"/> in <paramref name="mode"/> (null: defaults only, or a model the table lacks).</summary>
    public static SettingGrid? For(string model, GridMode mode)
    {
        if (mode == GridMode.None) return null;
        foreach (var (name, full, reduced) in Table)
            if (string.Equals(name, model, StringComparison.OrdinalIgnoreCase))
                return mode == GridMode.Full ? full : reduced;
        return null;
    }
}
