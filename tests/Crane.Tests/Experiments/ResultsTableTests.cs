using System.Globalization;
using Crane.Experiments;
using Crane.Training;

namespace Crane.Tests.Experiments;

public class ResultsTableTests
{
    static RunSummary Summary(double validRecall, double testRecall, int bestEpoch = 3, double seconds = 1.5) => new(
        new Dictionary<string, double> { ["recall@20"] = validRecall },
        new Dictionary<string, double> { ["recall@20"] = testRecall, ["ndcg@20"] = testRecall / 2, ["recall@10"] = testRecall / 3, ["ndcg@10"] = testRecall / 4 },
        bestEpoch, bestEpoch + 2, seconds);

    [Fact]
    public void Stat_is_the_mean_and_the_sample_standard_deviation()
    {
        var s = Stat.Of([0.1, 0.2, 0.6]);

        Assert.Equal(0.3, s.Mean, 12);
        Assert.Equal(Math.Sqrt((0.04 + 0.01 + 0.09) / 2), s.Sd, 12);
        Assert.True(double.IsNaN(Stat.Of([0.5]).Sd));
        Assert.Equal("0.3000 ± 0.2646", ResultsTable.Format(s));
        Assert.Equal("0.5000", ResultsTable.Format(Stat.Of([0.5])));
    }

    [Fact]
    public void The_grid_point_with_the_best_mean_validation_recall_is_selected_whatever_its_test_score()
    {
        var row = new SuiteRow("bpr", "bpr", new Dictionary<string, string>(), new SettingGrid(("reg_weight", ["0.1", "1e-3"])));
        var runs = row.Runs([1, 2]);
        // Point 0.1: valid 0.30 and 0.10 (mean 0.20), test high. Point 1e-3: valid 0.22 and 0.20 (mean 0.21), test low.
        var summaries = new[] { Summary(0.30, 0.9), Summary(0.10, 0.9), Summary(0.22, 0.1), Summary(0.20, 0.3) };

        var result = RowResult.Select(row, runs.Zip(summaries).ToArray());

        Assert.Equal("1e-3", result.Selected!["reg_weight"]);
        Assert.Equal(2, result.PointsTried);
        Assert.Equal(0.21, result.Metric("valid", "recall@20")!.Value.Mean, 12);
        Assert.Equal(0.2, result.Metric("test", "recall@20")!.Value.Mean, 12);
        Assert.Equal(Math.Sqrt(0.02), result.Metric("test", "recall@20")!.Value.Sd, 12);
    }

    static (ExperimentInfo, RowResult[]) TwoRows()
    {
        var done = SuiteRow.Of("w/o RCA", "crane", ("rca_depth", "0"));
        var skipped = SuiteRow.Of("w/o item graph", "crane", ("item_graph", "false"));
        var result = RowResult.Select(done, done.Runs([999, 1000]).Zip([Summary(0.1, 0.2, 4, 2.0), Summary(0.3, 0.4, 6, 4.0)]).ToArray());
        var info = new ExperimentInfo(SuiteKind.Ablation, "tiktok", [999, 1000], new TrainerOptions(Epochs: 50), 2);
        return (info, [result, RowResult.NotRun(skipped, RowStatus.Skipped, "Model 'crane' has no setting 'item_graph'. Its settings: a, b.")]);
    }

    [Fact]
    public void Markdown_has_a_row_per_finished_row_with_mean_and_sd_and_lists_the_rest_with_the_reason()
    {
        var (info, rows) = TwoRows();

        var md = ResultsTable.Markdown(info, rows);

        Assert.Contains("# crane experiment: ablation on tiktok", md);
        Assert.Contains("mean ± sample sd over 2 seeds", md);
        Assert.Contains("| row | model | settings | valid R@20 | test R@20 | test N@20 | test R@10 | test N@10 | best epoch | s/epoch |", md);
        Assert.Contains("| w/o RCA | crane | rca_depth=0 | 0.2000 ± 0.1414 | 0.3000 ± 0.1414 | 0.1500 ± 0.0707 | 0.1000 ± 0.0471 | 0.0750 ± 0.0354 | 5.0 ± 1.4 | 3.00 ± 1.41 |", md);
        Assert.Contains("- w/o item graph (crane, item_graph=false): skipped: Model 'crane' has no setting 'item_graph'. Its settings: a, b.", md);
        Assert.DoesNotContain("| w/o item graph", md);
    }

    [Fact]
    public void Csv_has_mean_and_sd_columns_for_every_row_and_quotes_commas()
    {
        var (_, rows) = TwoRows();

        var lines = ResultsTable.Csv(rows).TrimEnd('\n').Split('\n');

        Assert.Equal(3, lines.Length);
        var header = lines[0].Split(',');
        Assert.Equal(["row", "model", "status", "settings", "points_tried", "seeds", "valid_recall@20_mean", "valid_recall@20_sd"], header[..8]);
        Assert.Equal("reason", header[^1]);
        var done = lines[1].Split(',');
        Assert.Equal(header.Length, done.Length);
        Assert.Equal("done", done[2]);
        Assert.Equal(0.2, double.Parse(done[Array.IndexOf(header, "valid_recall@20_mean")], CultureInfo.InvariantCulture), 12);
        Assert.Equal(Math.Sqrt(0.02), double.Parse(done[Array.IndexOf(header, "test_recall@20_sd")], CultureInfo.InvariantCulture), 12);
        Assert.Equal(3.0, double.Parse(done[Array.IndexOf(header, "seconds_per_epoch_mean")], CultureInfo.InvariantCulture), 12);
        Assert.StartsWith("w/o item graph,crane,skipped,item_graph=false,0,0,,", lines[2]);
        Assert.EndsWith(",\"Model 'crane' has no setting 'item_graph'. Its settings: a, b.\"", lines[2]);
    }

    [Fact]
    public void Sensitivity_gets_one_plot_per_parameter_and_other_suites_one_bar_chart()
    {
        var rows = new[] { ("knn_k", 5.0), ("knn_k", 10.0), ("rca_depth", 0.0) }.Select(p =>
        {
            var row = SuiteRow.Of($"{p.Item1}={p.Item2}", "crane", (p.Item1, p.Item2.ToString(CultureInfo.InvariantCulture))) with { Sweep = new SweepPoint(p.Item1, p.Item2) };
            return RowResult.Select(row, row.Runs([1]).Zip([Summary(0.1 + p.Item2 / 100, 0.1)]).ToArray());
        }).ToArray();
        var info = new ExperimentInfo(SuiteKind.Sensitivity, "d", [1], new TrainerOptions(), 1);

        var plots = ResultsPlots.Build(info, rows);

        Assert.Equal(["sensitivity-knn_k.png", "sensitivity-rca_depth.png"], plots.Select(p => p.File));
        Assert.All(plots, p => Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, p.Png[..4]));
        Assert.Equal(["results.png"], ResultsPlots.Build(info with { Suite = SuiteKind.Ablation }, rows).Select(p => p.File));
    }
}
