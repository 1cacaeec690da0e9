using ScottPlot;

namespace Crane.Experiments;

/// <summary>
/// A suite's PNG plots: for <c>sensitivity</c> one chart per parameter (validation and test
/// Recall@20 against the value, ± sd over seeds); for the other suites one bar chart of test
/// Recall@20 and NDCG@20 per row.
/// </summary>
public static class ResultsPlots
{
    /// <summary>The plots as (file name, PNG bytes); rows that did not run are left out.</summary>
    public static IReadOnlyList<(string File, byte[] Png)> Build(ExperimentInfo info, IReadOnlyList<RowResult> rows)
    {
        var done = rows.Where(r => r.Status == RowStatus.Done).ToArray();
        if (done.Length == 0) return [];
        if (info.Suite != SuiteKind.Sensitivity) return [("results.png", Bars(info, done))];
        return done.Where(r => r.Row.Sweep is not null).GroupBy(r => r.Row.Sweep!.Parameter)
            .Select(g => ($"sensitivity-{g.Key}.png", Curve(info, g.Key, g.OrderBy(r => r.Row.Sweep!.Value).ToArray()))).ToArray();
    }

    static byte[] Curve(ExperimentInfo info, string parameter, RowResult[] rows)
    {
        var plot = new Plot();
        double[] xs = rows.Select(r => r.Row.Sweep!.Value).ToArray();
        foreach (var (split, label) in new[] { ("valid", "validation Recall@20"), ("test", "test Recall@20") })
        {
            var stats = rows.Select(r => r.Metric(split, "recall@20")!.Value).ToArray();
            var line = plot.Add.Scatter(xs, stats.Select(s => s.Mean).ToArray());
            line.LegendText = label;
            if (stats[0].Count > 1)
            {
                var bars = plot.Add.ErrorBar(xs, stats.Select(s => s.Mean).ToArray(), stats.Select(s => s.Sd).ToArray());
                bars.Color = line.Color;
            }
        }
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(xs, xs.Select(x => x.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray());
        plot.Title($"CRANE on {info.DataName}: sensitivity to {parameter}");
        plot.XLabel(parameter);
        plot.YLabel("Recall@20");
        plot.ShowLegend(Edge.Bottom);
        return plot.GetImageBytes(800, 500, ImageFormat.Png);
    }

    static byte[] Bars(ExperimentInfo info, RowResult[] rows)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var metrics = new[] { ("recall@20", "test Recall@20"), ("ndcg@20", "test NDCG@20") };
        for (int m = 0; m < metrics.Length; m++)
        {
            var bars = rows.Select((r, k) =>
            {
                var s = r.Metric("test", metrics[m].Item1)!.Value;
                return new Bar { Position = k * 3 + m, Value = s.Mean, Error = s.Count > 1 ? s.Sd : 0, FillColor = palette.GetColor(m) };
            }).ToArray();
            plot.Add.Bars(bars);
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = metrics[m].Item2, FillColor = palette.GetColor(m) });
        }
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            rows.Select((_, k) => k * 3 + 0.5).ToArray(), rows.Select(r => r.Row.Label).ToArray());
        plot.Axes.Bottom.TickLabelStyle.Rotation = 30;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
        plot.Axes.Bottom.MinimumSize = 12 + 6 * rows.Max(r => r.Row.Label.Length);   // room for the slanted labels
        plot.Axes.Margins(bottom: 0);
        plot.Title($"crane experiment {ResultsTable.Name(info.Suite)} on {info.DataName}");
        plot.ShowLegend(Edge.Top);
        return plot.GetImageBytes(Math.Max(700, 90 * rows.Length), 560, ImageFormat.Png);
    }
}
