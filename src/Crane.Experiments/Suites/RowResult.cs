namespace Crane.Experiments;

/// <summary>A mean and sample standard deviation over seeds (sd is NaN for one value).</summary>
/// <param name="Mean">The mean.</param>
/// <param name="Sd">The sample standard deviation (n − 1 in the denominator).</param>
/// <param name="Count">How many values.</param>
public readonly record struct Stat(double Mean, double Sd, int Count)
{
    /// <summary>The statistic of <paramref name="values"/> (at least one).</summary>
    public static Stat Of(IReadOnlyList<double> values)
    {
        if (values.Count == 0) throw new ArgumentException("No values to summarise.", nameof(values));
        double mean = values.Average();
        double sd = values.Count < 2 ? double.NaN : Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
        return new Stat(mean, sd, values.Count);
    }
}

/// <summary>How a row ended.</summary>
public enum RowStatus
{
    /// <summary>Every run finished.</summary>
    Done,

    /// <summary>Not run: the model is not registered, or refused the row's settings or the data.</summary>
    Skipped,

    /// <summary>A run stopped with an error (e.g. the loss became NaN).</summary>
    Failed,
}

/// <summary>
/// A suite row's outcome: the grid point selected by mean validation Recall@20 over the seeds,
/// and its runs' statistics.
/// </summary>
/// <param name="Row">The row.</param>
/// <param name="Status">Done, skipped or failed.</param>
/// <param name="Reason">Why it was skipped or failed (null when done).</param>
/// <param name="Selected">The selected run settings (all seeds share them); null unless done.</param>
/// <param name="Runs">The selected point's run summaries, one per seed; empty unless done.</param>
/// <param name="PointsTried">Grid points run (1 without a grid).</param>
public sealed record RowResult(SuiteRow Row, RowStatus Status, string? Reason, IReadOnlyDictionary<string, string>? Selected, IReadOnlyList<RunSummary> Runs, int PointsTried)
{
    /// <summary>The statistic of a metric ("valid recall@20", "test ndcg@20", …) over the selected runs.</summary>
    public Stat? Metric(string split, string name)
    {
        if (Runs.Count == 0) return null;
        var values = Runs.Select(r => (split == "valid" ? r.Validation : r.Test).GetValueOrDefault(name, double.NaN)).ToArray();
        return Stat.Of(values);
    }

    /// <summary>The selected epoch over the seeds.</summary>
    public Stat? BestEpoch => Runs.Count == 0 ? null : Stat.Of(Runs.Select(r => (double)r.BestEpoch).ToArray());

    /// <summary>Training seconds per epoch over the seeds.</summary>
    public Stat? SecondsPerEpoch => Runs.Count == 0 ? null : Stat.Of(Runs.Select(r => r.SecondsPerEpoch).ToArray());

    /// <summary>
    /// The row's result from its runs: grid points grouped, the one with the best mean validation
    /// Recall@20 selected (the first on a tie).
    /// </summary>
    public static RowResult Select(SuiteRow row, IReadOnlyList<(RunSpec Spec, RunSummary Summary)> runs)
    {
        var points = runs.GroupBy(r => RunSpec.Describe(r.Spec.Settings)).Select(g => g.ToArray()).ToArray();
        if (points.Length == 0) throw new ArgumentException($"Row '{row.Label}' has no finished run.", nameof(runs));
        var best = points[0];
        double bestScore = double.NegativeInfinity;
        foreach (var point in points)
        {
            double score = point.Average(r => r.Summary.Validation.GetValueOrDefault(Training.TrainerOptions.SelectionMetric, double.NaN));
            if (score > bestScore) (best, bestScore) = (point, score);
        }
        return new RowResult(row, RowStatus.Done, null, best[0].Spec.Settings, best.Select(r => r.Summary).ToArray(), points.Length);
    }

    /// <summary>A row that did not run to the end.</summary>
    public static RowResult NotRun(SuiteRow row, RowStatus status, string reason) => new(row, status, reason, null, [], 0);
}
