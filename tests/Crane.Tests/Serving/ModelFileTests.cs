using Crane.Data;
using Crane.Models;
using Crane.Serving;
using Crane.Tests.Autograd;
using Crane.Tests.Models;
using static Crane.Tests.Models.ModelTestKit;

namespace Crane.Tests.Serving;

public sealed class ModelFileTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("crane-modelfile-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    string SavedModel(string kind, out Recommender model, out Dataset data)
    {
        data = TinyData.Create();
        var settings = ModelSettings.Parse(["embedding_size=6"]);
        model = ModelCatalog.Create(kind, data, settings, 42);
        Train(model);
        var path = Path.Combine(_dir, $"{kind}.crane");
        TrainedModel.From(model, data, settings.Resolved, 42).Save(path);
        return path;
    }

    [Theory]
    [InlineData("bpr")]
    [InlineData("lightgcn")]
    public void Load_then_score_is_bit_identical(string kind)
    {
        var path = SavedModel(kind, out var model, out _);
        int[] users = [0, 1, 2, 3];
        var before = ScoreAll(model, users, 6);

        var loaded = TrainedModel.Load(path);
        Assert.Equal(kind, loaded.Kind);
        Assert.IsType<InnerProductScorer>(loaded.Scorer);
        Assert.Equal(before.Data, ScoreAll(loaded.Scorer, users, 6).Data);
    }

    [Fact]
    public void Carries_settings_seed_id_maps_and_the_training_interactions_only()
    {
        var path = SavedModel("lightgcn", out _, out var data);
        var loaded = TrainedModel.Load(path);
        Assert.Equal(42UL, loaded.Origin.Seed);
        Assert.Equal(new Dictionary<string, string> { ["embedding_size"] = "6", ["n_layers"] = "2", ["reg_weight"] = "0.0001" }, loaded.Origin.Settings);
        Assert.Equal(("tiny", 4, 6), (loaded.Origin.DatasetName, loaded.UserCount, loaded.ItemCount));
        Assert.Equal(data.UserIds.RawIds, loaded.UserIds.RawIds);
        Assert.Equal(data.ItemIds.RawIds, loaded.ItemIds.RawIds);
        Assert.Equal(data.TrainMatrix.RowPtr, loaded.Seen.RowPtr);
        Assert.Equal(data.TrainMatrix.ColIdx, loaded.Seen.ColIdx);
        // Header, the 8 training pairs (one of the 9 rows repeats), two 6-wide tables and the hash: no held-out split, no parameters.
        long tables = 4L * 6 * (4 + 6), seen = 8L * 8;
        Assert.InRange(new FileInfo(path).Length - tables - seen - 32, 0, 4096);
    }

    [Fact]
    public void A_model_saved_as_parameters_is_rebuilt_with_the_same_scores()
    {
        var data = ModalData.Create();
        var settings = ModelSettings.Parse(["embedding_size=4", "knn_k=2", "word_codes=3", "modalities=image,audio", "modality_weights=0.04,0.96"]);
        var model = ModelCatalog.Create("dgvae", data, settings, 42);
        Train(model);
        var path = Path.Combine(_dir, "dgvae.crane");
        TrainedModel.From(model, data, settings.Resolved, 42).Save(path);

        var loaded = TrainedModel.Load(path);

        Assert.Equal(ScoreAll(model, [0, 1, 2, 3], 6).Data, ScoreAll(loaded.Scorer, [0, 1, 2, 3], 6).Data);
        loaded.Save(path); // a loaded model saves again
        Assert.Equal(ScoreAll(model, [0, 1, 2, 3], 6).Data, ScoreAll(TrainedModel.Load(path).Scorer, [0, 1, 2, 3], 6).Data);
    }

    [Fact]
    public void Saving_replaces_the_file_and_leaves_no_temporary_behind()
    {
        var path = SavedModel("bpr", out var model, out var data);
        TrainedModel.From(model, data, new Dictionary<string, string> { ["embedding_size"] = "6", ["reg_weight"] = "0.0001" }, 43).Save(path);
        Assert.Equal([path], Directory.GetFiles(_dir));
        Assert.Equal(43UL, TrainedModel.Load(path).Origin.Seed);
    }

    [Fact]
    public void A_changed_byte_is_caught_by_the_checksum()
    {
        var path = SavedModel("bpr", out _, out _);
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x10;
        File.WriteAllBytes(path, bytes);
        Reference.AssertRejected<DataException>(() => TrainedModel.Load(path), path, "corrupt", "checksum");
    }

    [Fact]
    public void A_truncated_file_is_refused()
    {
        var path = SavedModel("lightgcn", out _, out _);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length - 100)]);
        Reference.AssertRejected<DataException>(() => TrainedModel.Load(path), "corrupt");
        File.WriteAllBytes(path, bytes[..20]);
        Reference.AssertRejected<DataException>(() => TrainedModel.Load(path), "corrupt");
    }

    [Fact]
    public void A_newer_format_names_both_versions()
    {
        var path = SavedModel("bpr", out _, out _);
        var bytes = File.ReadAllBytes(path);
        bytes[8] = (byte)(ModelFile.FormatVersion + 1);
        File.WriteAllBytes(path, bytes);
        Reference.AssertRejected<DataException>(() => TrainedModel.Load(path), $"made by a newer Crane (format {ModelFile.FormatVersion + 1} > {ModelFile.FormatVersion})");
    }

    [Fact]
    public void Another_kind_of_file_is_refused()
    {
        var path = Path.Combine(_dir, "notes.txt");
        File.WriteAllText(path, "userID\titemID\tx_label\n");
        Reference.AssertRejected<DataException>(() => TrainedModel.Load(path), "not a Crane model file");
    }

    [Fact]
    public void An_older_format_or_a_folder_is_refused_with_what_to_do()
    {
        var path = SavedModel("bpr", out _, out _);
        var bytes = File.ReadAllBytes(path);
        bytes[8] = 1;
        File.WriteAllBytes(path, bytes);
        Reference.AssertRejected<DataException>(() => TrainedModel.Load(path), "older Crane (format 1)", "train the model again");
        Reference.AssertRejected<DataException>(() => TrainedModel.Load(_dir), "is a folder", "model.crane");
    }
}
