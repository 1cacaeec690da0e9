using Crane.Training;
using ScottPlot;

namespace Crane.Experiments;

/// <summary>curves.png: the training loss (left axis) and validation Recall@20 (right axis) per epoch, the best epoch marked.</summary>
internal static class CurvesPlot
{
    /// <summary>The chart as PNG bytes.</summary>
    public static byte[] Png(TrainingResult result, string title, int width = 900, int height = 520)
    {
        var plot = new Plot();
        double[] epochs = result.History.Select(r => (double)r.Epoch).ToArray();

        var loss = plot.Add.Scatter(epochs, result.History.Select(r => r.Loss).ToArray());
        loss.LegendText = "training loss";

        var recall = plot.Add.Scatter(epochs, result.History.Select(r => Recall(r.Validation)).ToArray());
        recall.LegendText = "validation Recall@20";
        recall.Axes.YAxis = plot.Axes.Right;

        if (result.History.Any(r => r.MmrecTest is not null))
        {
            var test = plot.Add.Scatter(epochs, result.History.Select(r => r.MmrecTest is { } t ? Recall(t) : double.NaN).ToArray());
            test.LegendText = "test Recall@20 (MMRec report, not used for selection)";
            test.Axes.YAxis = plot.Axes.Right;
            test.LinePattern = LinePattern.Dashed;
        }

        var best = plot.Add.VerticalLine(result.BestEpoch);
        best.LegendText = $"best epoch ({result.BestEpoch})";
        best.LinePattern = LinePattern.Dotted;

        plot.Title(title);
        plot.XLabel("epoch");
        plot.YLabel("loss");
        plot.Axes.Right.Label.Text = "Recall@20";
        plot.ShowLegend(Edge.Bottom);
        return plot.GetImageBytes(width, height, ImageFormat.Png);
    }

    static double Recall(Evaluation.MetricSet m) => m.Values.TryGetValue(TrainerOptions.SelectionMetric, out var v) ? v : double.NaN;
}
