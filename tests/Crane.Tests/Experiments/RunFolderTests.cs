using System.Security.Cryptography;
using System.Text.Json;
using Crane.Data;
using Crane.Experiments;
using Crane.Tests.Training;
using Crane.Training;

namespace Crane.Tests.Experiments;

public sealed class RunFolderTests : IDisposable
{
    readonly string _root = Path.Combine(Path.GetTempPath(), $"crane-runfolder-{Guid.NewGuid():N}");

    public RunFolderTests() => Directory.CreateDirectory(_root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    (Dataset Data, string[] Inputs) DataWithInputs()
    {
        var inter = Path.Combine(_root, "tiny.inter");
        var image = Path.Combine(_root, "image_feat.npy");
        File.WriteAllText(inter, "userID\titemID\tx_label\n0\t1\t0\n");
        File.WriteAllBytes(image, Enumerable.Range(0, 300).Select(i => (byte)(i * 7)).ToArray());
        return (TinyData.Build(sourceFiles: [inter]), [inter, image]);
    }

    static TrainingResult Result(bool mmrec = false)
    {
        var records = Enumerable.Range(1, 4).Select(e => new EpochRecord(e, 1.0 / e, 0.25, 0.1,
            ScriptedEvaluation.Metrics(e == 4 ? 0.15 : 0.1 * e), mmrec ? ScriptedEvaluation.Metrics(0.05 * e) : null, e == 3)).ToList();
        return new TrainingResult(records, 3, records[2].Validation, ScriptedEvaluation.Metrics(0.27), StoppedEarly: true);
    }

    RunFolder CompletedRun(out string[] inputs, bool mmrec = false)
    {
        var (data, files) = DataWithInputs();
        inputs = files;
        var run = RunFolder.Create(Path.Combine(_root, "run"));
        var config = new RunConfig("tiny-mf", new Dictionary<string, string> { ["reg_weight"] = "0.001", ["embedding_size"] = "64" },
            new TrainerOptions(Epochs: 4, Seed: 42, MmrecReport: mmrec), Threads: 2, DataFolder: _root,
            ModalityFiles: new Dictionary<string, string> { ["image"] = files[1] });
        run.Begin(config, data);
        run.Log("epoch    1  loss …");
        run.Log("best epoch 3 …");
        run.Complete(Result(mmrec));
        return run;
    }

    static JsonElement ReadJson(RunFolder run, string name) => JsonDocument.Parse(File.ReadAllText(run.PathOf(name))).RootElement;

    [Fact]
    public void A_completed_run_holds_every_file_and_no_temporary_one()
    {
        var run = CompletedRun(out _);

        string[] expected = [RunFolder.ConfigFile, RunFolder.ManifestFile, RunFolder.LogFile, RunFolder.HistoryFile, RunFolder.MetricsFile, RunFolder.CurvesFile];
        Assert.Equal(expected.Order(), Directory.GetFiles(run.Path).Select(Path.GetFileName).Order());
        Assert.Equal("epoch    1  loss …\nbest epoch 3 …\n", File.ReadAllText(run.PathOf(RunFolder.LogFile)));
        var png = File.ReadAllBytes(run.PathOf(RunFolder.CurvesFile));
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
        Assert.True(png.Length > 5000, "the chart should hold more than an empty image");
    }

    [Fact]
    public void The_manifest_holds_the_sha256_of_every_input_and_the_run_facts()
    {
        var run = CompletedRun(out var inputs);

        var manifest = ReadJson(run, RunFolder.ManifestFile);
        var recorded = manifest.GetProperty("inputs").EnumerateArray()
            .ToDictionary(e => e.GetProperty("path").GetString()!, e => e.GetProperty("sha256").GetString()!);
        Assert.Equal(inputs.Order(), recorded.Keys.Order());
        foreach (var file in inputs)
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file))), recorded[file]);
        Assert.Equal(42UL, manifest.GetProperty("seed").GetUInt64());
        Assert.Equal(2, manifest.GetProperty("threads").GetInt32());
        Assert.Equal("completed", manifest.GetProperty("status").GetString());
        Assert.Equal(Environment.ProcessorCount, manifest.GetProperty("machine").GetProperty("cores").GetInt32());
        Assert.True(DateTimeOffset.Parse(manifest.GetProperty("finished").GetString()!) >= DateTimeOffset.Parse(manifest.GetProperty("started").GetString()!));
        Assert.False(string.IsNullOrEmpty(manifest.GetProperty("tool_version").GetString()));
    }

    [Fact]
    public void Config_and_metrics_are_fully_resolved_json()
    {
        var run = CompletedRun(out _);

        var config = ReadJson(run, RunFolder.ConfigFile);
        Assert.Equal("tiny-mf", config.GetProperty("model").GetString());
        Assert.Equal("0.001", config.GetProperty("settings").GetProperty("reg_weight").GetString());
        Assert.Equal(4, config.GetProperty("training").GetProperty("epochs").GetInt32());
        Assert.Equal(20, config.GetProperty("training").GetProperty("patience").GetInt32());
        Assert.Equal(0.001, config.GetProperty("training").GetProperty("learning_rate").GetDouble(), 6);
        Assert.Equal(2048, config.GetProperty("training").GetProperty("batch_size").GetInt32());
        Assert.Equal(42UL, config.GetProperty("seed").GetUInt64());

        var metrics = ReadJson(run, RunFolder.MetricsFile);
        Assert.Equal(3, metrics.GetProperty("best_epoch").GetInt32());
        Assert.True(metrics.GetProperty("stopped_early").GetBoolean());
        Assert.Equal(0.3, metrics.GetProperty("validation").GetProperty("metrics").GetProperty("recall@20").GetDouble(), 12);
        Assert.Equal(0.27, metrics.GetProperty("test").GetProperty("metrics").GetProperty("recall@20").GetDouble());
    }

    [Fact]
    public void History_has_a_row_per_epoch_with_mmrec_columns_only_when_recorded()
    {
        var plain = File.ReadAllLines(CompletedRun(out _).PathOf(RunFolder.HistoryFile));
        Assert.Equal("epoch,loss,train_seconds,eval_seconds,best,valid_recall@20,valid_ndcg@20", plain[0]);
        Assert.Equal(5, plain.Length);
        Assert.Equal("3,0.3333333333333333,0.25,0.1,1,0.30000000000000004,0.15000000000000002", plain[3]);

        Directory.Delete(Path.Combine(_root, "run"), recursive: true);
        var mmrec = File.ReadAllLines(CompletedRun(out _, mmrec: true).PathOf(RunFolder.HistoryFile));
        Assert.EndsWith(",mmrec_test_recall@20,mmrec_test_ndcg@20", mmrec[0]);
        Assert.EndsWith(",0.1,0.05", mmrec[2]);
    }

    [Fact]
    public void A_folder_that_already_holds_a_run_is_refused()
    {
        var run = CompletedRun(out _);
        var error = Assert.Throws<ArgumentException>(() => RunFolder.Create(run.Path));
        Assert.Contains("already holds a run", error.Message);
    }

    [Fact]
    public void A_failed_run_records_the_error_and_its_status()
    {
        var (data, _) = DataWithInputs();
        var run = RunFolder.Create(Path.Combine(_root, "failed"));
        run.Begin(new RunConfig("tiny-mf", new Dictionary<string, string>(), new TrainerOptions(), 1, _root), data);
        run.Log("epoch    1 …");

        run.Fail("The loss became NaN at epoch 2");

        Assert.EndsWith("error: The loss became NaN at epoch 2\n", File.ReadAllText(run.PathOf(RunFolder.LogFile)));
        Assert.Equal("failed", ReadJson(run, RunFolder.ManifestFile).GetProperty("status").GetString());
        Assert.False(File.Exists(run.PathOf(RunFolder.MetricsFile)));
    }

    [Fact]
    public void The_saved_model_loads_back()
    {
        var (data, _) = DataWithInputs();
        var run = RunFolder.Create(Path.Combine(_root, "model"));
        var settings = new Crane.Models.ModelSettings();
        var model = Crane.Models.ModelCatalog.Create("bpr", data, settings, 42);

        run.SaveModel(model, data, settings.Resolved, 42);

        Assert.True(File.Exists(run.PathOf(RunFolder.ModelFileName)));
        Assert.Equal(42UL, Crane.Serving.TrainedModel.Load(run.PathOf(RunFolder.ModelFileName)).Origin.Seed);
    }
}
