using Crane.Data;
using Crane.Experiments;
using Crane.Models;
using Crane.Tests.Data;
using Crane.Training;

namespace Crane.Tests.Experiments;

/// <summary>The runner on the tiny synthetic preset with BPR for one epoch: folders, resuming, skipping.</summary>
public class ExperimentRunnerTests
{
    static readonly Dataset Data = SyntheticGenerator.Generate(SyntheticOptions.Tiny);

    sealed class Counting(string outFolder, int epochs = 1)
    {
        public int Trained;
        public List<string> Lines { get; } = [];

        public ExperimentRunner Runner => new()
        {
            Data = Data, DataFolder = "synthetic-tiny", OutFolder = outFolder,
            Options = new TrainerOptions(Epochs: epochs, Patience: 1),
            Train = (model, data, options, hooks) => { Trained++; return new Trainer(options) { Log = hooks.Log }.Train(model, data); },
            Log = Lines.Add,
            RowCompleted = soFar => Reported.Add(soFar.Count),
        };

        public List<int> Reported { get; } = [];
    }

    static readonly SuiteRow GridRow = new("bpr", Bpr.Name, new Dictionary<string, string> { ["embedding_size"] = "8" }, new SettingGrid(("reg_weight", ["0.1", "1e-3"])));

    [Fact]
    public void Every_run_gets_its_own_complete_run_folder_and_a_rerun_reuses_them_all()
    {
        using var temp = new TempFolder();
        var first = new Counting(temp.Path);
        var results = first.Runner.Run([GridRow], [1, 2]);

        Assert.Equal(4, first.Trained);
        var result = Assert.Single(results);
        Assert.Equal(RowStatus.Done, result.Status);
        Assert.Equal(2, result.Runs.Count);
        Assert.Equal(2, result.PointsTried);
        foreach (var run in GridRow.Runs([1, 2]))
            foreach (var file in new[] { RunFolder.ConfigFile, RunFolder.MetricsFile, RunFolder.ModelFileName, RunFolder.HistoryFile })
                Assert.True(File.Exists(Path.Combine(temp.Path, ExperimentRunner.RunsFolder, run.Folder, file)), $"{run.Folder}/{file}");

        var again = new Counting(temp.Path);
        var resumed = again.Runner.Run([GridRow], [1, 2]);

        Assert.Equal(0, again.Trained);
        Assert.Equal(result.Selected, resumed[0].Selected);
        Assert.Equal(result.Metric("test", "recall@20"), resumed[0].Metric("test", "recall@20"));
        Assert.Equal(4, again.Lines.Count(l => l.Contains("already complete", StringComparison.Ordinal)));
    }

    [Fact]
    public void An_interrupted_or_damaged_run_is_redone_and_only_it()
    {
        using var temp = new TempFolder();
        new Counting(temp.Path).Runner.Run([GridRow], [1, 2]);
        var cut = GridRow.Runs([1, 2])[1];
        File.Delete(Path.Combine(temp.Path, ExperimentRunner.RunsFolder, cut.Folder, RunFolder.MetricsFile));   // as if stopped before the end
        var damaged = GridRow.Runs([1, 2])[2];
        File.WriteAllText(Path.Combine(temp.Path, ExperimentRunner.RunsFolder, damaged.Folder, RunFolder.HistoryFile), "garbage\n");

        var again = new Counting(temp.Path);
        var result = again.Runner.Run([GridRow], [1, 2]);

        Assert.Equal(2, again.Trained);   // the cut run and the one whose history.csv cannot be read
        Assert.Equal(RowStatus.Done, result[0].Status);
        Assert.True(File.Exists(Path.Combine(temp.Path, ExperimentRunner.RunsFolder, cut.Folder, RunFolder.MetricsFile)));
    }

    [Fact]
    public void A_run_folder_from_other_arguments_is_not_reused()
    {
        using var temp = new TempFolder();
        var row = SuiteRow.Of("bpr", Bpr.Name, ("embedding_size", "8"));
        new Counting(temp.Path, epochs: 1).Runner.Run([row], [1]);

        var longer = new Counting(temp.Path, epochs: 2);
        var result = longer.Runner.Run([row], [1]);

        Assert.Equal(1, longer.Trained);
        Assert.Equal(2, result[0].Runs[0].EpochsRun);
    }

    [Fact]
    public void Rows_for_an_unregistered_model_or_an_unknown_setting_are_skipped_with_the_reason_and_the_suite_goes_on()
    {
        using var temp = new TempFolder();
        var counting = new Counting(temp.Path);
        var rows = new[]
        {
            SuiteRow.Of("future", "no-such-model"),
            SuiteRow.Of("typo", Bpr.Name, ("no_such_setting", "1")),
            SuiteRow.Of("bpr", Bpr.Name, ("embedding_size", "8")),
        };

        var results = counting.Runner.Run(rows, [1]);

        Assert.Equal([RowStatus.Skipped, RowStatus.Skipped, RowStatus.Done], results.Select(r => r.Status));
        Assert.Contains("'no-such-model' is not registered", results[0].Reason);
        Assert.Contains("'no_such_setting'", results[1].Reason);
        Assert.Equal(1, counting.Trained);
        Assert.Equal([1, 2, 3], counting.Reported);
        for (int r = 1; r <= 3; r++)
        {
            Assert.Single(counting.Lines, l => l.StartsWith($"row {r}/3 started: ", StringComparison.Ordinal));
            Assert.Single(counting.Lines, l => l.StartsWith($"row {r}/3 finished: ", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void The_written_report_has_the_table_the_csv_and_a_plot()
    {
        using var temp = new TempFolder();
        var results = new Counting(temp.Path).Runner.Run([SuiteRow.Of("bpr", Bpr.Name, ("embedding_size", "8"))], [1, 2]);
        var info = new ExperimentInfo(SuiteKind.Main, Data.Name, [1, 2], new TrainerOptions(Epochs: 1), 1);

        var files = ResultsTable.Write(temp.Path, info, results);

        Assert.Equal([ResultsTable.MarkdownFile, ResultsTable.CsvFile, "results.png"], files.Select(Path.GetFileName));
        Assert.Contains("| bpr | bpr | embedding_size=8 | ", File.ReadAllText(files[0]));
        Assert.Contains(" ± ", File.ReadAllText(files[0]));
        Assert.StartsWith("row,model,status", File.ReadAllText(files[1]));
    }

    [Fact]
    public void Rows_whose_settings_resolve_to_the_same_run_train_it_once()
    {
        using var temp = new TempFolder();
        var counting = new Counting(temp.Path);
        var rows = new[] { SuiteRow.Of("given", Bpr.Name, ("embedding_size", "8")), SuiteRow.Of("default spelled out", Bpr.Name, ("embedding_size", "8"), ("reg_weight", "0.1")) };

        var results = counting.Runner.Run(rows, [1]);

        Assert.Equal(1, counting.Trained);   // reg_weight=0.1 is BPR's default
        Assert.Equal(results[0].Runs[0].Test, results[1].Runs[0].Test);
        Assert.Single(counting.Lines, l => l.Contains("the same run", StringComparison.Ordinal));
    }
}
