using System.Globalization;
using Crane.Data;
using Crane.Models;
using Crane.Numerics;
using Crane.Training;

namespace Crane.Experiments;

/// <summary>
/// Runs a suite's rows on one dataset: every run of every row (<see cref="SuiteRow.Runs"/>) in its
/// own run folder under <c>&lt;out&gt;/runs</c>, a run folder that already holds the same finished
/// run reused (so an interrupted suite resumes), the best grid point of each row selected on
/// validation Recall@20. A row whose model is not registered, or refuses the row's settings or
/// the data, is skipped with the reason; a run whose training fails marks its row failed and the
/// suite goes on. One line per row started and finished, and per run, goes to <see cref="Log"/>.
/// </summary>
public sealed class ExperimentRunner
{
    /// <summary>The folder under the out folder that holds the run folders.</summary>
    public const string RunsFolder = "runs";

    /// <summary>True for what a suite writes into its output folder: the report, its plots and the run folders (or one on its way there).</summary>
    public static bool IsOutputFile(string name)
    {
        name = AtomicFile.TargetName(name);
        return name is ResultsTable.MarkdownFile or ResultsTable.CsvFile or RunsFolder || name.EndsWith(".png", StringComparison.Ordinal);
    }

    /// <summary>The dataset every row trains on.</summary>
    public required Dataset Data { get; init; }

    /// <summary>The dataset's folder (recorded in each run's config.json).</summary>
    public required string DataFolder { get; init; }

    /// <summary>The suite's output folder.</summary>
    public required string OutFolder { get; init; }

    /// <summary>Epochs, patience and the rest; each run sets its own seed and, from a grid, its learning rate.</summary>
    public TrainerOptions Options { get; init; } = new();

    /// <summary>Trains one model with its run folder's hooks (the CLI's adds the per-epoch lines and the bar); a plain <see cref="Trainer"/> by default.</summary>
    public Func<Recommender, Dataset, TrainerOptions, RunHooks, TrainingResult>? Train { get; init; }

    /// <summary>Receives the progress lines.</summary>
    public Action<string>? Log { get; init; }

    /// <summary>Receives the results so far after each row (e.g. to rewrite results.md, so a long suite's table grows as it runs).</summary>
    public Action<IReadOnlyList<RowResult>>? RowCompleted { get; init; }

    // config.json text → run folder of the runs finished (or found finished) in this Run call: rows
    // whose settings resolve to the same run (e.g. a sensitivity row at the default value) share it.
    readonly Dictionary<string, string> _finished = new(StringComparer.Ordinal);

    /// <summary>Runs every row with every seed and returns one result per row, in order.</summary>
    public IReadOnlyList<RowResult> Run(IReadOnlyList<SuiteRow> rows, IReadOnlyList<ulong> seeds)
    {
        _finished.Clear();
        var results = new List<RowResult>();
        for (int r = 0; r < rows.Count; r++)
        {
            var row = rows[r];
            var runs = row.Runs(seeds);
            string tag = F($"row {r + 1}/{rows.Count}");
            Log?.Invoke(F($"{tag} started: {row.Label} ({row.Model}, {RunSpec.Describe(row.Settings)}{(row.Grid is null ? "" : $"; grid {row.Grid}")}), {runs.Count} run(s)"));
            var result = RunRow(row, runs);
            results.Add(result);
            Log?.Invoke($"{tag} finished: {row.Label}: " + result.Status switch
            {
                RowStatus.Done => F($"valid R@20 {Text(result.Metric("valid", "recall@20"))}, test R@20 {Text(result.Metric("test", "recall@20"))} N@20 {Text(result.Metric("test", "ndcg@20"))} ({RunSpec.Describe(result.Selected!)})"),
                _ => $"{result.Status.ToString().ToLowerInvariant()}: {result.Reason}",
            });
            RowCompleted?.Invoke(results);
        }
        return results;
    }

    RowResult RunRow(SuiteRow row, IReadOnlyList<RunSpec> runs)
    {
        if (!ModelCatalog.Names.Contains(row.Model, StringComparer.OrdinalIgnoreCase))
            return RowResult.NotRun(row, RowStatus.Skipped, $"model '{row.Model}' is not registered yet");
        var finished = new List<(RunSpec, RunSummary)>();
        for (int k = 0; k < runs.Count; k++)
        {
            try
            {
                finished.Add((runs[k], RunOne(runs[k], F($"run {k + 1}/{runs.Count}"))));
            }
            catch (RowRefused e)
            {
                return RowResult.NotRun(row, RowStatus.Skipped, e.Message);
            }
            catch (TrainingException e)
            {
                return RowResult.NotRun(row, RowStatus.Failed, F($"{runs[k].SettingsText}, seed {runs[k].Seed}: {e.Message}"));
            }
        }
        return RowResult.Select(row, finished);
    }

    RunSummary RunOne(RunSpec spec, string tag)
    {
        TrainerOptions options;
        ModelSettings settings;
        Recommender model;
        try
        {
            options = Options with { Seed = spec.Seed, LearningRate = spec.LearningRate ?? Options.LearningRate };
            options.Validate();
            settings = new ModelSettings(spec.ModelSettings);
            model = ModelCatalog.Create(spec.Row.Model, Data, settings, spec.Seed);
        }
        catch (ArgumentException e)
        {
            throw new RowRefused(e.Message);   // a setting the model lacks, or data it cannot use
        }
        var config = new RunConfig(model.Kind, settings.Resolved, options, Parallelism.Threads, DataFolder);
        string path = Path.GetFullPath(Path.Combine(OutFolder, RunsFolder, spec.Folder));
        string what = F($"{tag}: {spec.Row.Model} ({spec.SettingsText}), seed {spec.Seed}");
        string configText = RunFiles.ToJson(RunFiles.Config(config));
        if (_finished.TryGetValue(configText, out var same))
        {
            Log?.Invoke($"{what}: the same run (resolved settings) as {same}, reused");
            return RunSummary.Read(same);
        }
        if (RunFolder.IsComplete(path, config) && TryRead(path) is { } done)
        {
            Log?.Invoke($"{what}: already complete in {path}, reused");
            _finished[configText] = path;
            return done;
        }
        if (Directory.Exists(path))
        {
            Log?.Invoke($"{what}: {path} holds an unfinished run or one with other arguments; redoing it");
            Directory.Delete(path, recursive: true);
        }
        var folder = RunFolder.Create(path);
        folder.Begin(config, Data, model);   // the model adds its provenance (e.g. DGVAE's word source) to the manifest
        TrainingRun.Execute(folder, config, model, Data, F($"crane experiment {what} on {Data.Name}, {config.Threads} threads, run folder {folder.Path}"),
            hooks => Train is { } train ? train(model, Data, options, hooks)
                : new Trainer(options) { Log = hooks.Log, EpochCompleted = hooks.EpochCompleted, CheckpointPath = hooks.CheckpointPath }.Train(model, Data), Log);
        _finished[configText] = path;
        return RunSummary.Read(path);
    }

    /// <summary>The folder's summary, or null when its files cannot be read (it is then redone).</summary>
    static RunSummary? TryRead(string path)
    {
        try { return RunSummary.Read(path); }
        catch (Exception e) when (e is InvalidDataException or IOException) { return null; }
    }

    /// <summary>The row's model refused its settings or the data: the row is skipped, not failed.</summary>
    sealed class RowRefused(string message) : Exception(message);

    static string Text(Stat? s) => s is { } v ? ResultsTable.Format(v) : "–";

    static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
