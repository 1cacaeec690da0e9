using System.Globalization;
using System.Text.Json;
using Crane.Training;

namespace Crane.Experiments;

/// <summary>What a suite reports of one finished run, read back from its run folder (metrics.json and history.csv).</summary>
/// <param name="Validation">The selected epoch's validation metrics ("recall@20", …).</param>
/// <param name="Test">The test metrics, scored once at that epoch.</param>
/// <param name="BestEpoch">The selected epoch.</param>
/// <param name="EpochsRun">Epochs trained.</param>
/// <param name="SecondsPerEpoch">Mean training seconds per epoch (evaluation excluded).</param>
public sealed record RunSummary(IReadOnlyDictionary<string, double> Validation, IReadOnlyDictionary<string, double> Test, int BestEpoch, int EpochsRun, double SecondsPerEpoch)
{
    /// <summary>Reads a completed run folder; a missing or malformed file is an <see cref="InvalidDataException"/> naming it.</summary>
    public static RunSummary Read(string folder)
    {
        string metricsPath = Path.Combine(folder, RunFolder.MetricsFile), historyPath = Path.Combine(folder, RunFolder.HistoryFile);
        try
        {
            using var metrics = JsonDocument.Parse(File.ReadAllText(metricsPath));
            var root = metrics.RootElement;
            return new RunSummary(
                Values(root.GetProperty("validation").GetProperty("metrics")),
                Values(root.GetProperty("test").GetProperty("metrics")),
                root.GetProperty("best_epoch").GetInt32(),
                root.GetProperty("epochs_run").GetInt32(),
                MeanTrainSeconds(File.ReadAllLines(historyPath)));
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or IndexOutOfRangeException)
        {
            throw new InvalidDataException($"{folder}: cannot read the run's {RunFolder.MetricsFile} and {RunFolder.HistoryFile} ({e.Message}).", e);
        }
    }

    static Dictionary<string, double> Values(JsonElement metrics) =>
        metrics.EnumerateObject().ToDictionary(p => p.Name,
            p => p.Value.ValueKind == JsonValueKind.String ? double.Parse(p.Value.GetString()!, CultureInfo.InvariantCulture) : p.Value.GetDouble(), StringComparer.Ordinal);

    static double MeanTrainSeconds(string[] lines)
    {
        int column = Array.IndexOf(lines[0].Split(','), "train_seconds");
        if (column < 0) throw new FormatException("history.csv has no train_seconds column");
        var seconds = lines.Skip(1).Where(l => l.Length > 0).Select(l => double.Parse(l.Split(',')[column], CultureInfo.InvariantCulture)).ToArray();
        return seconds.Length == 0 ? double.NaN : seconds.Average();
    }
}
