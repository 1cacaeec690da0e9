using Crane.Data;
using Crane.Experiments;

namespace Crane.Tests.Cli;

/// <summary>train and prepare refuse an --out that holds something, before any work, unless --overwrite.</summary>
[Collection("Parallelism")]
public sealed class OutputFolderTests : IDisposable
{
    readonly string _root = Directory.CreateTempSubdirectory("crane-out-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    string Dataset()
    {
        string folder = Path.Combine(_root, "data");
        if (!Directory.Exists(folder)) DatasetWriter.Write(SyntheticGenerator.Generate(SyntheticOptions.Tiny), folder);
        return folder;
    }

    static (int Code, string Error) Train(params string[] args)
    {
        var (code, _, error) = CraneTool.Run(["train", "--model", "bpr", "--epochs", "1", "--threads", "1", .. args]);
        return (code, error);
    }

    [Fact]
    public void A_file_or_a_non_empty_folder_is_refused_before_the_data_is_read()
    {
        string file = Path.Combine(_root, "notes.txt");
        File.WriteAllText(file, "mine");
        var (code, error) = Train("--data", "no-such-folder", "--out", file);
        Assert.Equal(2, code);
        Assert.Contains($"{file}: is a file", error); // not "no-such-folder …": the output was checked first

        string busy = Path.Combine(_root, "busy");
        Directory.CreateDirectory(busy);
        File.WriteAllText(Path.Combine(busy, "results.csv"), "keep me");
        (code, error) = Train("--data", "no-such-folder", "--out", busy);
        Assert.Equal(2, code);
        Assert.Contains("is not empty (1 entry: results.csv); choose another --out, or pass --overwrite", error);
        Assert.Equal("keep me", File.ReadAllText(Path.Combine(busy, "results.csv")));
    }

    [Fact]
    public void Overwrite_replaces_a_run_folder_but_never_files_a_run_does_not_write()
    {
        string run = Path.Combine(_root, "run");
        Assert.Equal(0, Train("--data", Dataset(), "--out", run).Code);
        var (code, error) = Train("--data", Dataset(), "--out", run);
        Assert.Equal(2, code);
        Assert.Contains("is not empty", error);

        Assert.Equal(0, Train("--data", Dataset(), "--out", run, "--seed", "5", "--overwrite").Code);
        Assert.Contains("\"seed\": 5", File.ReadAllText(Path.Combine(run, RunFolder.ConfigFile)));

        File.WriteAllText(Path.Combine(run, "my-notes.txt"), "mine");
        (code, error) = Train("--data", Dataset(), "--out", run, "--overwrite");
        Assert.Equal(2, code);
        Assert.Contains("holds what a run folder does not (1 entry: my-notes.txt), so it will not be written into", error);
        Assert.True(File.Exists(Path.Combine(run, "my-notes.txt")));
    }

    [Fact]
    public void Prepare_checks_its_out_folder_before_reading_anything()
    {
        string busy = Path.Combine(_root, "prepared");
        Directory.CreateDirectory(busy);
        File.WriteAllText(Path.Combine(busy, "x.txt"), "x");
        var (code, _, error) = CraneTool.Run("prepare", "--input", "no-such-file.csv", "--out", busy);
        Assert.Equal(2, code);
        Assert.Contains("is not empty (1 entry: x.txt)", error);
    }

    [Fact]
    public void Data_warnings_go_to_stderr_and_into_train_log()
    {
        string data = Path.Combine(_root, "warned");
        var synthetic = SyntheticGenerator.Generate(SyntheticOptions.Tiny);
        DatasetWriter.Write(synthetic, data);
        // A user with a test row but no training row: the reader warns (the evaluator drops such users).
        string inter = Directory.GetFiles(data, "*.inter").Single();
        File.AppendAllText(inter, $"{synthetic.UserCount}\t0\t2\n");
        var console = Console.Error;
        var stderr = new StringWriter();
        Console.SetError(stderr);
        try { Assert.Equal(0, Train("--data", data, "--out", Path.Combine(_root, "warned-run")).Code); }
        finally { Console.SetError(console); }

        Assert.Contains("warning: ", stderr.ToString());
        Assert.Contains("no training rows", stderr.ToString());
        Assert.Contains(File.ReadAllLines(Path.Combine(_root, "warned-run", RunFolder.LogFile)), l => l.StartsWith("warning: ") && l.Contains("no training rows"));
    }

    [Fact]
    public void Prepare_names_the_dataset_after_its_folder_unless_told()
    {
        string raw = Path.Combine(_root, "ratings.csv");
        File.WriteAllLines(raw, ["user_id,item_id", .. Enumerable.Range(0, 30).Select(n => $"u{n % 6},i{n % 5}")]);
        Assert.Equal(0, CraneTool.Run("prepare", "--input", raw, "--kcore", "0", "--out", Path.Combine(_root, "shop")).Code);
        Assert.True(File.Exists(Path.Combine(_root, "shop", "shop.inter")));
        Assert.Equal(0, CraneTool.Run("prepare", "--input", raw, "--kcore", "0", "--out", Path.Combine(_root, "other"), "--name", "store").Code);
        Assert.Equal("store", DatasetReader.Load(Path.Combine(_root, "other")).Dataset.Name);
    }

    [Fact]
    public void Evaluate_finds_the_data_in_the_run_folders_config_or_asks_for_it()
    {
        string run = Path.Combine(_root, "evaluated");
        Assert.Equal(0, Train("--data", Dataset(), "--out", run).Code);
        Assert.Equal(0, CraneTool.Run("evaluate", "--model-file", Path.Combine(run, RunFolder.ModelFileName)).Code);

        string alone = Path.Combine(_root, "alone.crane");
        File.Copy(Path.Combine(run, RunFolder.ModelFileName), alone);
        var (code, _, error) = CraneTool.Run("evaluate", "--model-file", alone);
        Assert.Equal(2, code);
        Assert.Contains("no config.json beside", error);
        Assert.Contains("pass --data", error);
        Assert.Equal(0, CraneTool.Run("evaluate", "--model-file", alone, "--data", Dataset()).Code);
    }

    [Fact]
    public void An_experiment_resumes_its_own_folder_but_refuses_one_holding_other_files()
    {
        string busy = Path.Combine(_root, "suite");
        Directory.CreateDirectory(busy);
        File.WriteAllText(Path.Combine(busy, "thesis.tex"), "mine");
        var (code, _, error) = CraneTool.Run("experiment", "--suite", "main", "--data", "no-such-folder", "--out", busy);
        Assert.Equal(2, code);
        Assert.Contains("holds what a suite's output folder does not (1 entry: thesis.tex)", error);
    }
}
