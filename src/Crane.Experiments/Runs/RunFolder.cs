using Crane.Data;
using Crane.Models;
using Crane.Serving;
using Crane.Training;

namespace Crane.Experiments;

/// <summary>
/// A run's folder: config.json, manifest.json, train.log, history.csv, metrics.json, curves.png and
/// model.crane. Every file is written to a temporary name and renamed, so a reader (or a crash)
/// never leaves half a file. Call <see cref="Begin"/>, then <see cref="Log"/> per line, then
/// <see cref="SaveModel"/> and <see cref="Complete"/> (or <see cref="Fail"/>).
/// </summary>
public sealed class RunFolder
{
    /// <summary>The fully resolved configuration.</summary>
    public const string ConfigFile = "config.json";
    /// <summary>Provenance: versions, input checksums, seed, threads, machine, times.</summary>
    public const string ManifestFile = "manifest.json";
    /// <summary>The log lines, as printed.</summary>
    public const string LogFile = "train.log";
    /// <summary>One row per epoch.</summary>
    public const string HistoryFile = "history.csv";
    /// <summary>The selected epoch's validation and test metrics.</summary>
    public const string MetricsFile = "metrics.json";
    /// <summary>Loss and validation Recall@20 per epoch.</summary>
    public const string CurvesFile = "curves.png";
    /// <summary>The trained model (<see cref="ModelFile"/>).</summary>
    public const string ModelFileName = "model.crane";
    /// <summary>The last completed epoch's <see cref="TrainingCheckpoint"/>, while the run is unfinished.</summary>
    public const string CheckpointFile = "checkpoint.json";

    /// <summary>True for the name of a file a run folder holds (t-SNE's picture too), or of one on its way there (<see cref="AtomicFile"/>'s temporary name).</summary>
    public static bool IsRunFile(string name) =>
        AtomicFile.TargetName(name) is ConfigFile or ManifestFile or LogFile or HistoryFile or MetricsFile or CurvesFile or ModelFileName or CheckpointFile or "tsne.png";

    readonly List<string> _log = [];
    IReadOnlyList<Dictionary<string, object?>> _inputs = [];
    RunConfig? _config;
    IReadOnlyDictionary<string, string> _provenance = new Dictionary<string, string>();
    DateTimeOffset _started;

    RunFolder(string path) => Path = System.IO.Path.GetFullPath(path);

    /// <summary>The folder.</summary>
    public string Path { get; }

    /// <summary>Creates the folder; refuses one that already holds a run, so no result is overwritten.</summary>
    public static RunFolder Create(string path)
    {
        var folder = new RunFolder(path);
        if (File.Exists(folder.PathOf(ConfigFile)))
            throw new ArgumentException($"{folder.Path} already holds a run; choose another output folder.");
        Directory.CreateDirectory(folder.Path);
        return folder;
    }

    /// <summary>
    /// Opens an unfinished run's folder to resume it: its train.log goes on where it stopped. Call
    /// <see cref="Begin"/> again with the run's own config (<see cref="ReadConfig"/>).
    /// </summary>
    public static RunFolder Reopen(string path)
    {
        var folder = new RunFolder(path);
        if (File.Exists(folder.PathOf(MetricsFile)))
            throw new ArgumentException($"{folder.Path} holds a completed run; there is nothing to resume.");
        if (File.Exists(folder.PathOf(LogFile))) folder._log.AddRange(File.ReadAllLines(folder.PathOf(LogFile)));
        return folder;
    }

    /// <summary>The configuration in this folder's config.json.</summary>
    /// <exception cref="DataException">It is missing or not a run's.</exception>
    public RunConfig ReadConfig() => RunFiles.ReadConfig(PathOf(ConfigFile));

    /// <summary>
    /// Writes config.json and a first manifest.json (status "running"), checksumming every input
    /// file of <paramref name="data"/>; the manifest records <paramref name="model"/>'s
    /// <see cref="Recommender.Provenance"/> (e.g. DGVAE's word source) under "model".
    /// </summary>
    public void Begin(RunConfig config, Dataset data, Recommender? model = null)
    {
        _config = config;
        _provenance = model?.Provenance ?? new Dictionary<string, string>();
        _inputs = RunManifest.Inputs(data.SourceFiles.Concat(config.ModalityFiles?.Values ?? []).Distinct());
        _started = DateTimeOffset.Now;
        AtomicFile.WriteText(PathOf(ConfigFile), RunFiles.ToJson(RunFiles.Config(config)));
        WriteManifest(null, "running");
    }

    /// <summary>Adds a line to train.log (rewritten whole, atomically, so it is current during a long run).</summary>
    public void Log(string line)
    {
        _log.Add(line);
        AtomicFile.WriteText(PathOf(LogFile), string.Join('\n', _log) + "\n");
    }

    /// <summary>Saves the trained model as model.crane (<see cref="ModelFile.Save"/>).</summary>
    public void SaveModel(Recommender model, Dataset data, IReadOnlyDictionary<string, string> settings, ulong seed) =>
        TrainedModel.From(model, data, settings, seed).Save(PathOf(ModelFileName));

    /// <summary>Writes history.csv, metrics.json, curves.png and the final manifest.json (status "completed").</summary>
    public void Complete(TrainingResult result)
    {
        var config = _config ?? throw new InvalidOperationException("Begin the run before completing it.");
        AtomicFile.WriteText(PathOf(HistoryFile), RunFiles.History(result.History));
        AtomicFile.WriteText(PathOf(MetricsFile), RunFiles.ToJson(RunFiles.Metrics(result)));
        var png = CurvesPlot.Png(result, $"{config.Model} on {System.IO.Path.GetFileName(System.IO.Path.TrimEndingDirectorySeparator(config.DataFolder))}");
        AtomicFile.Write(PathOf(CurvesFile), stream => stream.Write(png));
        WriteManifest(DateTimeOffset.Now, "completed");
        File.Delete(PathOf(CheckpointFile)); // a finished run needs no resume point
    }

    /// <summary>Rewrites history.csv with the epochs done so far (after each epoch, so a stopped run keeps them).</summary>
    public void WriteHistory(IReadOnlyList<EpochRecord> history) => AtomicFile.WriteText(PathOf(HistoryFile), RunFiles.History(history));

    /// <summary>Records a run stopped on request: a log line and manifest status "interrupted"; checkpoint.json stays for the resume.</summary>
    public void Interrupt(string line)
    {
        Log(line);
        if (_config is not null) WriteManifest(DateTimeOffset.Now, "interrupted");
    }

    /// <summary>Records a failed run: the error as the last log line and manifest status "failed".</summary>
    public void Fail(string error)
    {
        Log("error: " + error);
        if (_config is not null) WriteManifest(DateTimeOffset.Now, "failed");
    }

    /// <summary>
    /// True when <paramref name="path"/> holds a finished run of exactly <paramref name="config"/>:
    /// metrics.json is there and config.json reads as <paramref name="config"/> would be written.
    /// A resumed experiment reuses such a folder instead of training again.
    /// </summary>
    public static bool IsComplete(string path, RunConfig config)
    {
        string configFile = System.IO.Path.Combine(path, ConfigFile);
        return File.Exists(System.IO.Path.Combine(path, MetricsFile)) && File.Exists(configFile)
            && File.ReadAllText(configFile) == RunFiles.ToJson(RunFiles.Config(config));
    }

    /// <summary>The full path of a file in this folder.</summary>
    public string PathOf(string name) => System.IO.Path.Combine(Path, name);

    void WriteManifest(DateTimeOffset? finished, string status) =>
        AtomicFile.WriteText(PathOf(ManifestFile), RunFiles.ToJson(
            RunManifest.Build(_inputs, _config!.Training.Seed, _config.Threads, _started, finished, status, _provenance)));
}
