using Crane.Data;
using Crane.Experiments;
using Crane.Tests.Data;
using Crane.Training;

namespace Crane.Tests.Cli;

/// <summary><c>crane experiment</c> and <c>crane tsne</c> run in-process.</summary>
[Collection("Parallelism")]
public class ExperimentCommandTests
{
    [Theory]
    [InlineData("--seeds", "0", "--seeds must be at least 1, got 0")]
    [InlineData("--models", "bpr,nosuch", "Unknown model 'nosuch' in --models")]
    [InlineData("--set", "embedding_size=8", "--set 'embedding_size=8' is not of the form model.key=value")]
    [InlineData("--set", "nosuch.k=1", "Unknown model 'nosuch'")]
    [InlineData("--epochs", "0", "Epochs must be at least 1")]
    public void Bad_experiment_arguments_exit_with_code_2_and_say_why(string option, string value, string message)
    {
        var (code, _, error) = CraneTool.Run("experiment", "--suite", "main", "--data", "nowhere", option, value);

        Assert.Equal(2, code);
        Assert.StartsWith("error: ", error);
        Assert.Contains(message, error);
    }

    [Fact]
    public void Models_and_grids_belong_to_the_main_suite()
    {
        var (code, _, error) = CraneTool.Run("experiment", "--suite", "ablation", "--data", "nowhere", "--models", "bpr");

        Assert.Equal(2, code);
        Assert.Contains("--suite main only", error);
        Assert.Equal(2, CraneTool.Run("experiment", "--suite", "fusion", "--data", "nowhere", "--grid", "full").Code);
    }

    [Fact]
    public void An_unknown_suite_or_a_missing_folder_is_refused()
    {
        Assert.NotEqual(0, CraneTool.Run("experiment", "--suite", "everything", "--data", "nowhere").Code);
        Assert.Equal(2, CraneTool.Run("experiment", "--suite", "main", "--data", "/nowhere/at/all").Code);
    }

    [Fact]
    public void Tsne_without_a_model_exits_with_code_2()
    {
        var (code, _, error) = CraneTool.Run("tsne", "--model", "/nowhere/run");

        Assert.Equal(2, code);
        Assert.Contains("No saved model at /nowhere/run", error.Replace('\\', '/'));
    }

    [Fact]
    public void A_suite_writes_its_report_and_run_folders_and_tsne_draws_a_run()
    {
        using var temp = new TempFolder();
        string data = Path.Combine(temp.Path, "data"), output = Path.Combine(temp.Path, "out");
        DatasetWriter.Write(SyntheticGenerator.Generate(SyntheticOptions.Tiny), data);
        string[] args = ["experiment", "--suite", "main", "--data", data, "--models", "bpr", "--seeds", "2", "--epochs", "1",
            "--threads", "1", "--set", "bpr.embedding_size=8", "--out", output];

        var (code, _, error) = CraneTool.Run(args);

        Assert.True(code == 0, error);
        foreach (var file in new[] { ResultsTable.MarkdownFile, ResultsTable.CsvFile, "results.png" })
            Assert.True(File.Exists(Path.Combine(output, file)), file);
        string run = Path.Combine(output, ExperimentRunner.RunsFolder, "bpr_embedding_size-8", "seed-1000");
        Assert.True(File.Exists(Path.Combine(run, RunFolder.ModelFileName)));
        string modelWritten = File.ReadAllText(Path.Combine(run, RunFolder.ManifestFile));

        Assert.Equal(0, CraneTool.Run(args).Code);
        Assert.Equal(modelWritten, File.ReadAllText(Path.Combine(run, RunFolder.ManifestFile)));   // reused, not retrained

        string png = Path.Combine(temp.Path, "map.png");
        var tsne = CraneTool.Run("tsne", "--model", run, "--sample", "30", "--perplexity", "5", "--iterations", "50", "--out", png);
        Assert.True(tsne.Code == 0, tsne.Error);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, File.ReadAllBytes(png)[..4]);
    }
}
