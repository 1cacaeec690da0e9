using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Crane.Evaluation;
using Crane.Training;

namespace Crane.Experiments;

/// <summary>The text of config.json, metrics.json and history.csv.</summary>
internal static class RunFiles
{
    static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        // A metric may be NaN (e.g. no user to evaluate); keep it rather than fail the run.
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        // Plain '+', '<', '&' in versions and paths: these files are read by people, never embedded in HTML.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Indented JSON of a tree of dictionaries, lists and numbers.</summary>
    public static string ToJson(object tree) => JsonSerializer.Serialize(tree, Json) + "\n";

    /// <summary>config.json's tree.</summary>
    public static Dictionary<string, object?> Config(RunConfig c) => new()
    {
        ["model"] = c.Model,
        ["settings"] = new SortedDictionary<string, string>(c.Settings.ToDictionary(), StringComparer.Ordinal),
        ["training"] = new Dictionary<string, object?>
        {
            ["epochs"] = c.Training.Epochs,
            ["patience"] = c.Training.Patience,
            ["selection_metric"] = "valid " + TrainerOptions.SelectionMetric,
            ["optimizer"] = "adam",
            ["learning_rate"] = c.Training.LearningRate,
            ["batch_size"] = c.Training.BatchSize,
            ["user_batch_size"] = c.Training.UserBatchSize,
            ["mmrec_report"] = c.Training.MmrecReport,
            ["cutoffs"] = (c.Training.Evaluation ?? new EvaluationOptions()).Cutoffs,
            ["eval_user_batch_size"] = (c.Training.Evaluation ?? new EvaluationOptions()).UserBatchSize,
        },
        ["seed"] = c.Training.Seed,
        ["threads"] = c.Threads,
        ["data"] = Path.GetFullPath(c.DataFolder),
        ["modalities"] = c.ModalityFiles?.ToDictionary(p => p.Key, p => Path.GetFullPath(p.Value)) ?? new Dictionary<string, string>(),
    };

    /// <summary>The <see cref="RunConfig"/> a config.json holds (as <see cref="Config"/> wrote it).</summary>
    /// <exception cref="Data.DataException">The file is missing or not a run's config.json.</exception>
    public static RunConfig ReadConfig(string path)
    {
        if (!File.Exists(path)) throw new Data.DataException(path, null, "no config.json: the folder is not a run folder.");
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllText(path));
            var root = json.RootElement;
            var t = root.GetProperty("training");
            var options = new TrainerOptions(
                Epochs: t.GetProperty("epochs").GetInt32(), Patience: t.GetProperty("patience").GetInt32(),
                LearningRate: t.GetProperty("learning_rate").GetSingle(), BatchSize: t.GetProperty("batch_size").GetInt32(),
                UserBatchSize: t.GetProperty("user_batch_size").GetInt32(), Seed: root.GetProperty("seed").GetUInt64(),
                MmrecReport: t.GetProperty("mmrec_report").GetBoolean(),
                Evaluation: new EvaluationOptions(t.GetProperty("cutoffs").EnumerateArray().Select(k => k.GetInt32()).ToArray(), t.GetProperty("eval_user_batch_size").GetInt32()));
            var settings = root.GetProperty("settings").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal);
            var modalities = root.GetProperty("modalities").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal);
            return new RunConfig(root.GetProperty("model").GetString()!, settings, options, root.GetProperty("threads").GetInt32(),
                root.GetProperty("data").GetString()!, modalities.Count == 0 ? null : modalities);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new Data.DataException(path, null, $"not a run's config.json ({e.Message}).");
        }
    }

    /// <summary>metrics.json's tree: the selected epoch with its validation and test metrics.</summary>
    public static Dictionary<string, object?> Metrics(TrainingResult r) => new()
    {
        ["best_epoch"] = r.BestEpoch,
        ["epochs_run"] = r.History.Count,
        ["stopped_early"] = r.StoppedEarly,
        ["selection_metric"] = "valid " + TrainerOptions.SelectionMetric,
        ["validation"] = Metrics(r.BestValidation),
        ["test"] = Metrics(r.Test),
    };

    static Dictionary<string, object?> Metrics(MetricSet m) => new()
    {
        ["users_evaluated"] = m.UsersEvaluated,
        ["cold_users_dropped"] = m.ColdUsersDropped,
        ["metrics"] = m.Values,
    };

    /// <summary>history.csv: one row per epoch; validation columns, then MMRec test columns when recorded.</summary>
    public static string History(IReadOnlyList<EpochRecord> history)
    {
        var names = history.Count == 0 ? [] : history[0].Validation.Values.Keys.ToArray();
        bool mmrec = history.Any(e => e.MmrecTest is not null);
        var text = new StringBuilder("epoch,loss,train_seconds,eval_seconds,best");
        foreach (var n in names) text.Append(",valid_").Append(n);
        if (mmrec) foreach (var n in names) text.Append(",mmrec_test_").Append(n);
        text.Append('\n');
        foreach (var e in history)
        {
            text.Append(CultureInfo.InvariantCulture, $"{e.Epoch},{N(e.Loss)},{N(e.TrainSeconds)},{N(e.EvalSeconds)},{(e.IsBest ? 1 : 0)}");
            foreach (var n in names) text.Append(',').Append(N(e.Validation.Values.GetValueOrDefault(n, double.NaN)));
            if (mmrec) foreach (var n in names) text.Append(',').Append(e.MmrecTest is { } t ? N(t.Values.GetValueOrDefault(n, double.NaN)) : "");
            text.Append('\n');
        }
        return text.ToString();
    }

    static string N(double x) => x.ToString("R", CultureInfo.InvariantCulture);
}
