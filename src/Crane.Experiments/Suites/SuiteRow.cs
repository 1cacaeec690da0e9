using System.Globalization;

namespace Crane.Experiments;

/// <summary>
/// One row of an experiment suite: what the results table calls it, the model, the settings that
/// differ from the model's defaults, and optionally a grid searched on validation Recall@20.
/// </summary>
/// <param name="Label">The row's name in results.md (e.g. "w/o RCA").</param>
/// <param name="Model">A model name of <see cref="Models.ModelCatalog"/> (a row for one not registered yet is skipped).</param>
/// <param name="Settings">Setting overrides (key → value), as <c>--set</c> would give them; <see cref="SettingGrid.LearningRate"/> sets the trainer's learning rate.</param>
/// <param name="Grid">Settings searched on validation Recall@20; null runs <paramref name="Settings"/> alone.</param>
/// <param name="Sweep">For sensitivity rows: the parameter this row varies and its value (an x of its curve).</param>
public sealed record SuiteRow(string Label, string Model, IReadOnlyDictionary<string, string> Settings, SettingGrid? Grid = null, SweepPoint? Sweep = null)
{
    /// <summary>A row with the given overrides (pairs of key and value).</summary>
    public static SuiteRow Of(string label, string model, params (string Key, string Value)[] settings) =>
        new(label, model, settings.ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal));

    /// <summary>
    /// Every run of this row: each grid point (or the settings alone) with each seed, the grid's
    /// first axis varying slowest and the seeds fastest.
    /// </summary>
    public IReadOnlyList<RunSpec> Runs(IReadOnlyList<ulong> seeds)
    {
        if (seeds.Count == 0) throw new ArgumentException("A suite needs at least one seed.", nameof(seeds));
        var points = Grid?.Points() ?? [new Dictionary<string, string>(StringComparer.Ordinal)];
        var runs = new List<RunSpec>();
        foreach (var point in points)
        {
            var settings = new SortedDictionary<string, string>(Settings.ToDictionary(), StringComparer.Ordinal);
            foreach (var (key, value) in point) settings[key] = value;
            foreach (var seed in seeds) runs.Add(new RunSpec(this, settings, seed));
        }
        return runs;
    }
}

/// <summary>A point of a sensitivity curve: the parameter a row varies and the value it takes.</summary>
/// <param name="Parameter">The setting's name (e.g. "knn_k").</param>
/// <param name="Value">Its value in this row.</param>
public sealed record SweepPoint(string Parameter, double Value);

/// <summary>
/// One training run of a suite: a row's model with its full settings (overrides and grid point)
/// and a seed. Runs with the same model, given settings and seed share a run folder; the runner
/// also reuses a run whose settings resolve to one it already has.
/// </summary>
/// <param name="Row">The row it belongs to.</param>
/// <param name="Settings">Every given setting, including a grid's <see cref="SettingGrid.LearningRate"/>, in key order.</param>
/// <param name="Seed">The run's seed.</param>
public sealed record RunSpec(SuiteRow Row, IReadOnlyDictionary<string, string> Settings, ulong Seed)
{
    /// <summary>The model's settings: <see cref="Settings"/> without the learning rate.</summary>
    public IReadOnlyDictionary<string, string> ModelSettings =>
        Settings.Where(s => s.Key != SettingGrid.LearningRate).ToDictionary(StringComparer.Ordinal);

    /// <summary>The learning rate the settings give, or null for the trainer's default.</summary>
    public float? LearningRate => Settings.TryGetValue(SettingGrid.LearningRate, out var text)
        ? float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var lr) ? lr
            : throw new ArgumentException($"Setting {SettingGrid.LearningRate}={text} of row '{Row.Label}' is not a number.")
        : null;

    /// <summary>The settings as "key=value, …" ("defaults" when none).</summary>
    public string SettingsText => Describe(Settings);

    /// <summary>The run folder, relative to the suite's runs folder: "model[_key-value…]/seed-N".</summary>
    public string Folder
    {
        get
        {
            var name = string.Concat(Settings.Select(s => $"_{s.Key}-{s.Value}"));
            var safe = new string((Row.Model + name).Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '+' ? c : '~').ToArray());
            return Path.Combine(safe, string.Create(CultureInfo.InvariantCulture, $"seed-{Seed}"));
        }
    }

    /// <summary>"key=value, …" in key order, or "defaults" when empty.</summary>
    public static string Describe(IReadOnlyDictionary<string, string> settings) =>
        settings.Count == 0 ? "defaults" : string.Join(", ", settings.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key}={s.Value}"));
}
