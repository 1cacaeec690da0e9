using System.CommandLine;
using System.Globalization;
using Crane.Experiments;
using Crane.Numerics;
using Crane.Training;

namespace Crane.Cli;

/// <summary><c>crane experiment</c>: runs one of the paper's suites and writes results.md, results.csv and PNG plots.</summary>
internal static class ExperimentCommand
{
    public static Command Create()
    {
        var defaults = new TrainerOptions();
        var suite = new Option<string>("--suite", "-s") { Description = "Which suite: main (every model), ablation, fusion, aggregation or sensitivity (CRANE rows of crane-spec.md §4).", Required = true };
        suite.AcceptOnlyFromAmong(Enum.GetNames<SuiteKind>().Select(n => n.ToLowerInvariant()).ToArray());
        var data = new Option<string>("--data", "-d") { Description = "Dataset folder in MMRec layout.", Required = true };
        var models = new Option<string?>("--models") { Description = "main only: a comma list of models (default: every model; ones not registered yet are reported as skipped)." };
        var seeds = new Option<int>("--seeds") { Description = "Seeds per run (999, 1000, …); the tables give mean ± sd when more than one.", DefaultValueFactory = _ => 1 };
        var epochs = new Option<int>("--epochs") { Description = "Most training epochs per run.", DefaultValueFactory = _ => defaults.Epochs };
        var patience = new Option<int>("--patience") { Description = "Stop a run after this many epochs without a better validation Recall@20.", DefaultValueFactory = _ => defaults.Patience };
        var threads = new Option<int>("--threads") { Description = "Worker threads for the kernels (default: all cores).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var grid = new Option<string>("--grid") { Description = "main only: each model's grid, searched on validation Recall@20: none (defaults), reduced (a few points) or full (baselines.md).", DefaultValueFactory = _ => "none" };
        grid.AcceptOnlyFromAmong("none", "reduced", "full");
        var set = new Option<string[]>("--set") { Description = "A setting for one model's rows as model.key=value (repeatable), e.g. --set freedom.modalities=image,audio." };
        var output = new Option<string?>("--out", "-o") { Description = "Output folder (default: experiments/<suite>-<data>). Re-running with the same arguments resumes: finished runs are reused." };
        var command = new Command("experiment", "Run a suite of the paper's experiments: every row trained (each in its own run folder under <out>/runs), " +
            "then results.md and results.csv (valid and test metrics, best epoch, seconds per epoch; mean ± sd over seeds) and PNG plots. An interrupted suite resumes where it stopped.")
        {
            suite, data, models, seeds, epochs, patience, threads, grid, set, output,
        };
        command.SetAction(parse => CliErrors.Run(parse, () =>
        {
            var kind = Enum.Parse<SuiteKind>(parse.GetRequiredValue(suite), ignoreCase: true);
            var gridMode = Enum.Parse<GridMode>(parse.GetRequiredValue(grid), ignoreCase: true);
            var modelList = parse.GetValue(models)?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (kind != SuiteKind.Main && (modelList is not null || gridMode != GridMode.None))
                throw new ArgumentException($"--models and --grid apply to --suite main only; the {ResultsTable.Name(kind)} suite runs CRANE's rows.");
            int seedCount = parse.GetValue(seeds);
            if (seedCount < 1) throw new ArgumentException($"--seeds must be at least 1, got {seedCount}.");
            var options = new TrainerOptions(Epochs: parse.GetValue(epochs), Patience: parse.GetValue(patience));
            options.Validate();
            Parallelism.Threads = parse.GetValue(threads);
            var perModel = PerModelSettings(parse.GetValue(set) ?? []);
            if (modelList is not null) Suite.CheckModels(modelList);
            // An experiment's own folder is resumed; one holding anything else is refused, before any work.
            if (parse.GetValue(output) is { } given)
                OutputFolder.Check(given, overwrite: true, ExperimentRunner.IsOutputFile, "suite's output folder");
            return Run(kind, parse.GetRequiredValue(data), modelList, gridMode, perModel, seedCount, options, parse.GetValue(output));
        }));
        return command;
    }

    static int Run(SuiteKind kind, string dataFolder, IReadOnlyList<string>? models, GridMode grid,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> perModel, int seedCount, TrainerOptions options, string? output)
    {
        var data = DataLayer.Load(dataFolder, new Dictionary<string, string>()).Data;
        var rows = Suite.WithSettings(Suite.Rows(kind, models, grid, data.Modalities.Keys.ToArray()), perModel);
        var seeds = Enumerable.Range(0, seedCount).Select(k => 999UL + (ulong)k).ToArray();
        string outFolder = Path.GetFullPath(output ?? Path.Combine("experiments", $"{ResultsTable.Name(kind)}-{data.Name}"));
        Directory.CreateDirectory(outFolder);
        ConsoleProgress.Log(string.Create(CultureInfo.InvariantCulture,
            $"crane experiment: {ResultsTable.Name(kind)} suite on {data.Name}, {rows.Count} rows, {seedCount} seed(s), {Parallelism.Threads} threads, output {outFolder}"));

        var info = new ExperimentInfo(kind, data.Name, seeds, options, Parallelism.Threads);
        var runner = new ExperimentRunner
        {
            Data = data, DataFolder = dataFolder, OutFolder = outFolder, Options = options,
            Train = (model, data, options, hooks) => ConsoleTraining.Train(model, data, options, hooks), Log = ConsoleProgress.Log,
            RowCompleted = soFar => ResultsTable.Write(outFolder, info, soFar),   // the report grows row by row
        };
        var results = runner.Run(rows, seeds);
        var files = ResultsTable.Write(outFolder, info, results);
        ConsoleProgress.Log($"results: {string.Join(", ", files)}");
        return results.Any(r => r.Status == RowStatus.Failed) ? CliErrors.Failed : 0;
    }

    /// <summary>--set model.key=value pairs grouped by model; a malformed pair or unknown model is an <see cref="ArgumentException"/>.</summary>
    static IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> PerModelSettings(IEnumerable<string> pairs)
    {
        var result = new Dictionary<string, Dictionary<string, string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in pairs)
        {
            int dot = pair.IndexOf('.'), eq = pair.IndexOf('=');
            if (dot <= 0 || eq < dot + 2)
                throw new ArgumentException($"--set '{pair}' is not of the form model.key=value.");
            var model = Suite.CheckModels([pair[..dot]])[0];
            if (!result.TryGetValue(model, out var settings)) result[model] = settings = new(StringComparer.Ordinal);
            settings[pair[(dot + 1)..eq].Trim()] = pair[(eq + 1)..].Trim();
        }
        return result.ToDictionary(p => p.Key, p => (IReadOnlyDictionary<string, string>)p.Value, StringComparer.OrdinalIgnoreCase);
    }
}
