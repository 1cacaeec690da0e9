using System.Globalization;
using Crane.Models;

namespace Crane.Experiments;

/// <summary>The paper's experiments (crane-spec.md §4) that <c>crane experiment --suite</c> runs.</summary>
public enum SuiteKind
{
    /// <summary>Every model (the main comparison table).</summary>
    Main,

    /// <summary>CRANE with one component removed per row.</summary>
    Ablation,

    /// <summary>CRANE's ways of fusing modalities.</summary>
    Fusion,

    /// <summary>CRANE's user aggregations.</summary>
    Aggregation,

    /// <summary>CRANE with one hyper-parameter varied per curve.</summary>
    Sensitivity,
}

/// <summary>The rows of each suite.</summary>
public static class Suite
{
    /// <summary>
    /// crane-spec.md §4's switches as <see cref="CraneSettings"/> names them on the main line
    /// (item_graph, rca_attention, view_fusion, modality_fusion). On a checkout whose CRANE lacks
    /// one, its rows are reported as skipped ("has no setting …") rather than failing the suite.
    /// </summary>
    internal const string ItemGraph = "item_graph", RcaAttention = "rca_attention", ViewFusion = "view_fusion", ModalityFusion = "modality_fusion";

    /// <summary>
    /// The rows of <paramref name="suite"/>. <c>main</c>: <paramref name="models"/> (default: every
    /// model of <see cref="ModelGrids"/> in the paper's order, then any other registered model),
    /// each with its <paramref name="grid"/>. The CRANE suites ignore <paramref name="models"/> and
    /// <paramref name="grid"/>; <c>fusion</c> has a single-modality row for each of <paramref name="modalities"/>.
    /// </summary>
    public static IReadOnlyList<SuiteRow> Rows(SuiteKind suite, IReadOnlyList<string>? models, GridMode grid, IReadOnlyList<string> modalities) => suite switch
    {
        SuiteKind.Main => Main(models, grid),
        SuiteKind.Ablation => Ablation(),
        SuiteKind.Fusion => Fusion(modalities),
        SuiteKind.Aggregation => new[] { "sum", "mean", "max", "attention" }.Select(a => SuiteRow.Of(a, CraneModel.Name, ("aggregation", a))).ToArray(),
        SuiteKind.Sensitivity => Sensitivity(),
        _ => throw new ArgumentOutOfRangeException(nameof(suite), suite, null),
    };

    /// <summary>
    /// The names <c>--models</c> accepts: registered models and those of <see cref="ModelGrids"/>.
    /// Returns them in the catalog's (or table's) spelling; an unknown name is an <see cref="ArgumentException"/>.
    /// </summary>
    public static IReadOnlyList<string> CheckModels(IEnumerable<string> names) => names.Select(n =>
        ModelCatalog.Names.Concat(ModelGrids.Models).FirstOrDefault(m => string.Equals(m, n, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"Unknown model '{n}' in --models. Models: {string.Join(", ", ModelCatalog.Names.Union(ModelGrids.Models))}.")).ToArray();

    /// <summary>
    /// The rows with per-model settings added (model name → key → value, e.g. from
    /// <c>--set freedom.modalities=image,audio</c>) under each row's own settings, which win.
    /// </summary>
    public static IReadOnlyList<SuiteRow> WithSettings(IReadOnlyList<SuiteRow> rows, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> perModel) =>
        rows.Select(row =>
        {
            var given = perModel.FirstOrDefault(p => string.Equals(p.Key, row.Model, StringComparison.OrdinalIgnoreCase)).Value;
            if (given is null) return row;
            var settings = new Dictionary<string, string>(given.ToDictionary(), StringComparer.Ordinal);
            foreach (var (key, value) in row.Settings) settings[key] = value;
            return row with { Settings = settings };
        }).ToArray();

    static SuiteRow[] Main(IReadOnlyList<string>? models, GridMode grid)
    {
        var names = models is { Count: > 0 } ? CheckModels(models) : ModelGrids.Models.Concat(ModelCatalog.Names.Except(ModelGrids.Models)).ToArray();
        return names.Distinct(StringComparer.OrdinalIgnoreCase)
            .Select(m => new SuiteRow(m, m, new Dictionary<string, string>(), ModelGrids.For(m, grid))).ToArray();
    }

    /// <summary>crane-spec.md §4's ablations, each row one switch off.</summary>
    static SuiteRow[] Ablation() =>
    [
        SuiteRow.Of("CRANE", CraneModel.Name),
        SuiteRow.Of("w/o GCN", CraneModel.Name, ("n_ui_layers", "0"), ("n_ii_layers", "0")),
        SuiteRow.Of("w/o item graph", CraneModel.Name, (ItemGraph, "false")),
        SuiteRow.Of("w/o RCA", CraneModel.Name, ("rca_depth", "0")),
        SuiteRow.Of("w/o attention", CraneModel.Name, (RcaAttention, "false")),
        SuiteRow.Of("w/o CL", CraneModel.Name, ("cl_weight", "0")),
        SuiteRow.Of("w/o dual fusion", CraneModel.Name, (ViewFusion, "late")),
    ];

    /// <summary>
    /// The fusion study: each modality alone, then the ways of fusing them without RCA
    /// (concatenation, sum, one graph per modality averaged), then RCA (the default).
    /// </summary>
    static SuiteRow[] Fusion(IReadOnlyList<string> modalities) =>
    [
        .. modalities.Order(StringComparer.Ordinal).Select(m => SuiteRow.Of($"{m} only", CraneModel.Name, ("modalities", m))),
        SuiteRow.Of("concatenation", CraneModel.Name, (ModalityFusion, "concat")),
        SuiteRow.Of("sum", CraneModel.Name, (ModalityFusion, "sum")),
        SuiteRow.Of("graph-level average", CraneModel.Name, (ModalityFusion, "graph_average")),
        SuiteRow.Of("RCA", CraneModel.Name),
    ];

    /// <summary>crane-spec.md §4: L_ui ∈ {1,2,3,4}; L_ii ∈ {1,2,3}; R ∈ {0,…,4}; k ∈ {5,10,20,30,50}.</summary>
    static SuiteRow[] Sensitivity() =>
    [
        .. Sweep("n_ui_layers", 1, 2, 3, 4),
        .. Sweep("n_ii_layers", 1, 2, 3),
        .. Sweep("rca_depth", 0, 1, 2, 3, 4),
        .. Sweep("knn_k", 5, 10, 20, 30, 50),
    ];

    static IEnumerable<SuiteRow> Sweep(string parameter, params int[] values) => values.Select(v =>
    {
        var text = v.ToString(CultureInfo.InvariantCulture);
        return SuiteRow.Of($"{parameter}={text}", CraneModel.Name, (parameter, text)) with { Sweep = new SweepPoint(parameter, v) };
    });
}
