using System.Globalization;
using Crane.Data;
using Crane.Training;

namespace Crane.Bench;

/// <summary>The `--name value` options and repeated `--set key=value` pairs of the in-process reports.</summary>
internal sealed class ReportArgs(string report, string[] args)
{
    /// <summary>The value after <paramref name="name"/>, else <paramref name="fallback"/>; an error naming the report when both are missing.</summary>
    public string Value(string name, string? fallback = null) =>
        args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() ?? fallback ?? throw new ArgumentException($"{report} needs {name}.");

    /// <summary>An integer option.</summary>
    public int Int(string name, int fallback) => int.Parse(Value(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

    /// <summary>Every `--set` value, in order.</summary>
    public string[] Sets => args.Select((a, i) => (a, i)).Where(p => p.a == "--set" && p.i + 1 < args.Length).Select(p => args[p.i + 1]).ToArray();

    /// <summary>The arguments that are neither an option (`--name`) nor an option's value.</summary>
    public string[] Positional => args.Where((a, i) => !a.StartsWith("--", StringComparison.Ordinal) && (i == 0 || !args[i - 1].StartsWith("--", StringComparison.Ordinal))).ToArray();

    /// <summary>
    /// A fixed-length training run for the diagnosis reports: `--epochs` (else <paramref name="defaultEpochs"/>),
    /// `--seed` (999) and `--lr` (1e-3), with no early stopping.
    /// </summary>
    public TrainerOptions DiagnosisTraining(int defaultEpochs) =>
        new(Epochs: Int("--epochs", defaultEpochs), Patience: 1000, Seed: (ulong)Int("--seed", 999),
            LearningRate: float.Parse(Value("--lr", "0.001"), CultureInfo.InvariantCulture));

    /// <summary>`--synthetic PRESET` generated in memory, else the dataset folder `--data` (or <paramref name="defaultFolder"/>).</summary>
    public Dataset Data(string? defaultFolder = null)
    {
        string preset = Value("--synthetic", "");
        return preset.Length > 0 ? SyntheticGenerator.Generate(SyntheticOptions.Preset(preset)) : DatasetReader.Load(Value("--data", defaultFolder)).Dataset;
    }
}
