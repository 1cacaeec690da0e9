using System.Globalization;
using Crane.Evaluation;

namespace Crane.Training;

/// <summary>
/// The text of the training log: one line per epoch and the closing lines. The CLI prints these
/// lines and the run folder's train.log stores them, so both read the same.
/// </summary>
public static class TrainingLog
{
    /// <summary>"epoch   3  loss 0.69315  train 1.20s  eval 0.40s  valid R@20 0.0123 N@20 0.0056 *" (* = new best).</summary>
    public static string Epoch(EpochRecord r)
    {
        var line = F($"epoch {r.Epoch,4}  loss {r.Loss:F5}  train {r.TrainSeconds:F2}s  eval {r.EvalSeconds:F2}s  valid {Short(r.Validation)}");
        if (r.MmrecTest is { } test) line += $"  | mmrec test {Short(test)}";
        return r.IsBest ? line + " *" : line;
    }

    /// <summary>The line written when patience runs out.</summary>
    public static string EarlyStop(int epoch, int patience, int bestEpoch) =>
        F($"early stop after epoch {epoch}: no better validation Recall@20 in {patience} evaluations; best epoch {bestEpoch}");

    /// <summary>The closing line: the selected epoch and its validation and test scores.</summary>
    public static string Final(TrainingResult result) =>
        F($"best epoch {result.BestEpoch}: valid {Short(result.BestValidation)}  test {Short(result.Test)} (test scored once, at the best validation epoch)");

    static string Short(MetricSet m) => F($"R@20 {Get(m, "recall@20"):F4} N@20 {Get(m, "ndcg@20"):F4}");

    static double Get(MetricSet m, string key) => m.Values.TryGetValue(key, out var v) ? v : double.NaN;

    static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
