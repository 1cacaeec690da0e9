using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using Crane.Data;
using Crane.Evaluation;
using Crane.Experiments;
using Crane.Models;
using Crane.Numerics;
using Crane.Training;
using Spectre.Console;

namespace Crane.Cli;

/// <summary><c>crane train</c>: trains a model on a dataset folder and writes a run folder.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var defaults = new TrainerOptions();
        var model = new Option<string?>("--model", "-m") { Description = "Model to train, e.g. bpr or lightgcn (an unknown name gets the full list). Required unless --resume." };
        var data = new Option<string?>("--data", "-d") { Description = "Dataset folder in MMRec layout (<name>.inter and optional <modality>_feat.npy files). Required unless --resume." };
        var resume = new Option<string?>("--resume") { Description = "Go on with a stopped run: its folder's config.json and checkpoint.json give everything; the result has the same bits as a run never stopped." };
        var modality = new Option<string[]>("--modality") { Description = "An extra item-feature file as name=file.npy (repeatable), e.g. --modality audio=audio_feat.npy." };
        var set = new Option<string[]>("--set") { Description = "A model setting as key=value (repeatable), e.g. --set reg_weight=1e-4. config.json lists every resolved setting." };
        var seed = new Option<ulong>("--seed") { Description = "Seed of every random stream (initialisation, sampling).", DefaultValueFactory = _ => defaults.Seed };
        var epochs = new Option<int>("--epochs") { Description = "Most training epochs.", DefaultValueFactory = _ => defaults.Epochs };
        var patience = new Option<int>("--patience") { Description = "Stop after this many epochs without a better validation Recall@20.", DefaultValueFactory = _ => defaults.Patience };
        var learningRate = new Option<float>("--lr") { Description = "Adam's learning rate.", DefaultValueFactory = _ => defaults.LearningRate };
        var threads = new Option<int>("--threads") { Description = "Worker threads for the kernels (default: all cores). Same seed and threads → the same numbers.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var mmrec = new Option<bool>("--mmrec-report") { Description = "Also score the test set every epoch and log it, labelled, as MMRec does (never used to pick the epoch)." };
        var output = new Option<string?>("--out", "-o") { Description = "Run folder to write (default: runs/<model>-<data>-<time>); refused when it holds anything, unless --overwrite." };
        var overwrite = OutputFolder.OverwriteOption();
        var sparseIds = new Option<bool>("--allow-sparse-ids") { Description = "Accept ids whose range is far larger than the ids used (every unused id costs a row of each table)." };
        var command = new Command("train", "Train a model: validation every epoch, early stopping on validation Recall@20, the test set scored once at the best epoch. " +
            "Writes a run folder with config.json, manifest.json, train.log, history.csv, metrics.json, curves.png and model.crane.")
        {
            model, data, resume, modality, set, seed, epochs, patience, learningRate, threads, mmrec, output, overwrite, sparseIds,
        };
        command.SetAction(parse => CliErrors.Run(parse, () =>
        {
            if (parse.GetValue(resume) is { } stopped)
            {
                var given = parse.CommandResult.Children.OfType<System.CommandLine.Parsing.OptionResult>().Where(o => !o.Implicit).Select(o => o.Option.Name).Where(n => n != "--resume").ToArray();
                if (given.Length > 0) throw new ArgumentException($"--resume takes the run's own settings from its config.json; drop {string.Join(", ", given)}.");
                return Resume(stopped);
            }
            if (parse.GetValue(model) is null || parse.GetValue(data) is null)
                throw new ArgumentException("Give --model and --data (or --resume <run folder> to go on with a stopped run).");
            var settings = ModelSettings.Parse(parse.GetValue(set) ?? []);
            var modalities = KeyValues.Parse(parse.GetValue(modality), "--modality");
            var options = new TrainerOptions(Epochs: parse.GetValue(epochs), Patience: parse.GetValue(patience),
                LearningRate: parse.GetValue(learningRate), Seed: parse.GetValue(seed), MmrecReport: parse.GetValue(mmrec));
            options.Validate();
            Parallelism.Threads = parse.GetValue(threads);
            var name = ModelNames.Check(parse.GetValue(model)!);
            string dataFolder = parse.GetValue(data)!;
            string runFolder = parse.GetValue(output) ?? Path.Combine("runs", string.Create(CultureInfo.InvariantCulture,
                $"{name}-{Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(dataFolder)))}-{DateTime.Now:yyyyMMdd-HHmmss}"));
            OutputFolder.Check(runFolder, parse.GetValue(overwrite), RunFolder.IsRunFile, "run folder");   // before the data is read
            return Run(name, dataFolder, modalities, settings, options, runFolder, parse.GetValue(sparseIds));
        }));
        return command;
    }

    static int Run(string name, string dataFolder, IReadOnlyDictionary<string, string> modalities, ModelSettings settings, TrainerOptions options, string runFolder, bool allowSparseIds)
    {
        var (data, warnings) = DataLayer.Load(dataFolder, modalities, allowSparseIds);
        var model = ModelCatalog.Create(name, data, settings, options.Seed);
        if (Directory.Exists(runFolder)) Directory.Delete(runFolder, recursive: true);   // --overwrite was given (OutputFolder.Check)
        var folder = RunFolder.Create(runFolder);
        var config = new RunConfig(name, settings.Resolved, options, Parallelism.Threads, dataFolder, modalities);
        folder.Begin(config, data, model);
        foreach (var warning in warnings) folder.Log($"warning: {warning}");
        return Execute(folder, config, model, data, "crane train", checkpoint: null);
    }

    /// <summary>A stopped run goes on from its checkpoint, with the settings, data and threads of its config.json.</summary>
    static int Resume(string runFolder)
    {
        var folder = RunFolder.Reopen(runFolder);
        var config = folder.ReadConfig();
        var checkpoint = TrainingCheckpoint.Load(folder.PathOf(RunFolder.CheckpointFile));
        Parallelism.Threads = config.Threads;   // the same threads as before: the same bits
        // The ids were accepted when the run began; the same data is read again.
        var (data, _) = DataLayer.Load(config.DataFolder, config.ModalityFiles ?? new Dictionary<string, string>(), allowSparseIds: true);
        var model = ModelCatalog.Create(config.Model, data, new ModelSettings(config.Settings), config.Training.Seed);
        folder.Begin(config, data, model);
        return Execute(folder, config, model, data, $"crane train --resume (after epoch {checkpoint.Epoch})", checkpoint);
    }

    /// <summary>Trains in the run folder until done, or until SIGINT/SIGTERM, which end the current step and keep the checkpoint (exit 130/143).</summary>
    static int Execute(RunFolder folder, RunConfig config, Recommender model, Dataset data, string verb, TrainingCheckpoint? checkpoint)
    {
        var options = config.Training;
        var header = string.Create(CultureInfo.InvariantCulture,
            $"{verb}: {ModelCatalog.Display(config.Model)} on {data.Name} ({data.UserCount:N0} users, {data.ItemCount:N0} items; {data.Train.Count:N0} train, {data.Valid.Count:N0} valid, {data.Test.Count:N0} test), " +
            $"seed {options.Seed}, {Parallelism.Threads} threads, run folder {folder.Path}");
        using var stop = new CancellationTokenSource();
        int exitCode = 0;
        void OnSignal(PosixSignalContext context, int code)
        {
            context.Cancel = true;   // no abrupt end: the trainer stops after its current step
            if (exitCode == 0) exitCode = code;
            stop.Cancel();
        }
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => OnSignal(c, 130));
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => OnSignal(c, 143));
        TrainingResult result;
        try
        {
            result = TrainingRun.Execute(folder, config, model, data, header,
                hooks => ConsoleTraining.Train(model, data, options, hooks, checkpoint, stop.Token), ConsoleProgress.Log, checkpoint?.History);
        }
        catch (TrainingInterruptedException e)
        {
            Console.Error.WriteLine($"interrupted after epoch {e.LastEpoch}; the epochs done are in {folder.PathOf(RunFolder.HistoryFile)}. " +
                $"Go on with: crane train --resume {folder.Path}");
            return exitCode == 0 ? 130 : exitCode;
        }

        AnsiConsole.Write(MetricsTable.Build(($"valid (epoch {result.BestEpoch})", result.BestValidation), ("test", result.Test)));
        ConsoleProgress.Log($"test: {MetricsTable.Users(result.Test)}");
        ConsoleProgress.Log($"run folder: {folder.Path}");
        return 0;
    }
}
