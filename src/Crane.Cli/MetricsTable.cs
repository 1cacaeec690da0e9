using System.Globalization;
using Crane.Evaluation;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Crane.Cli;

/// <summary>Metric sets as one table: a row per (split, K), a column per metric.</summary>
internal static class MetricsTable
{
    static readonly (string Key, string Title)[] Metrics =
        [("recall", "Recall"), ("ndcg", "NDCG"), ("precision", "Precision"), ("map", "MAP"), ("hit", "Hit")];

    /// <summary>The table for the labelled metric sets (e.g. "valid (epoch 12)", "test").</summary>
    public static IRenderable Build(params (string Label, MetricSet Metrics)[] sets)
    {
        var table = new Table().AddColumn("split").AddColumn(new TableColumn("K").RightAligned());
        foreach (var (_, title) in Metrics) table.AddColumn(new TableColumn(title).RightAligned());
        foreach (var (label, set) in sets)
            foreach (int k in Cutoffs(set))
                table.AddRow([Markup.Escape(label), k.ToString(CultureInfo.InvariantCulture),
                    .. Metrics.Select(m => set.Values.TryGetValue($"{m.Key}@{k}", out var v) ? v.ToString("F4", CultureInfo.InvariantCulture) : "–")]);
        return table;
    }

    /// <summary>"12,345 users evaluated, 3 cold users dropped".</summary>
    public static string Users(MetricSet set) => string.Create(CultureInfo.InvariantCulture,
        $"{set.UsersEvaluated:N0} users evaluated, {set.ColdUsersDropped:N0} with no training rows dropped");

    static IEnumerable<int> Cutoffs(MetricSet set) => set.Values.Keys
        .Select(key => key.Split('@'))
        .Where(parts => parts.Length == 2 && int.TryParse(parts[1], CultureInfo.InvariantCulture, out _))
        .Select(parts => int.Parse(parts[1], CultureInfo.InvariantCulture))
        .Distinct().Order();
}
