using Crane.Data;
using Crane.Models;
using Crane.Tests.Autograd;
using static Crane.Tests.Models.ModelTestKit;

namespace Crane.Tests.Models;

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
        ModelFile.Save(path, model, data, settings.Resolved, 42);
        return path;
    }

    [Theory]
    [InlineData("bpr")]
    [InlineData("lightgcn")]
    public void Load_then_score_is_bit_identical(string kind)
    {
        var path = SavedModel(kind, out var model, out _);
        model.PrepareForScoring();
        int[] users = [0, 1, 2, 3];
        var before = ScoreAll(model, users, 6);

        var loaded = ModelFile.Load(path);
        Assert.Equal(kind, loaded.Model.Kind);
        Assert.Equal(before.Data, ScoreAll(loaded.Model, users, 6).Data);
    }

    [Fact]
    public void Carries_settings_seed_id_maps_and_every_split()
    {
        var path = SavedModel("lightgcn", out _, out var data);
        var loaded = ModelFile.Load(path);
        Assert.Equal(42UL, loaded.Seed);
        Assert.Equal(new Dictionary<string, string> { ["embedding_size"] = "6", ["n_layers"] = "2", ["reg_weight"] = "0.0001" }, loaded.Settings);
        var d = loaded.Data;
        Assert.Equal(("tiny", 4, 6), (d.Name, d.UserCount, d.ItemCount));
        Assert.Equal(data.UserIds.RawIds, d.UserIds.RawIds);
        Assert.Equal(data.ItemIds.RawIds, d.ItemIds.RawIds);
        foreach (var split in new[] { Split.Train, Split.Valid, Split.Test })
        {
            Assert.Equal(data[split].Users, d[split].Users);
            Assert.Equal(data[split].Items, d[split].Items);
        }
        Assert.Empty(d.Modalities);
    }

    [Fact]
    public void Saving_replaces_the_file_and_leaves_no_temporary_behind()
    {
        var path = SavedModel("bpr", out var model, out var data);
        ModelFile.Save(path, model, data, new Dictionary<string, string> { ["embedding_size"] = "6", ["reg_weight"] = "0.0001" }, 43);
        Assert.Equal([path], Directory.GetFiles(_dir));
        Assert.Equal(43UL, ModelFile.Load(path).Seed);
    }

    [Fact]
    public void A_changed_byte_is_caught_by_the_checksum()
    {
        var path = SavedModel("bpr", out _, out _);
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x10;
        File.WriteAllBytes(path, bytes);
        Reference.AssertRejected<DataException>(() => ModelFile.Load(path), path, "corrupt", "checksum");
    }

    [Fact]
    public void A_truncated_file_is_refused()
    {
        var path = SavedModel("lightgcn", out _, out _);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length - 100)]);
        Reference.AssertRejected<DataException>(() => ModelFile.Load(path), "corrupt");
        File.WriteAllBytes(path, bytes[..20]);
        Reference.AssertRejected<DataException>(() => ModelFile.Load(path), "corrupt");
    }

    [Fact]
    public void A_newer_format_names_both_versions()
    {
        var path = SavedModel("bpr", out _, out _);
        var bytes = File.ReadAllBytes(path);
        bytes[8] = (byte)(ModelFile.FormatVersion + 1);
        File.WriteAllBytes(path, bytes);
        Reference.AssertRejected<DataException>(() => ModelFile.Load(path), $"made by a newer Crane (format {ModelFile.FormatVersion + 1} > {ModelFile.FormatVersion})");
    }

    [Fact]
    public void Another_kind_of_file_is_refused()
    {
        var path = Path.Combine(_dir, "notes.txt");
        File.WriteAllText(path, "userID\titemID\tx_label\n");
        Reference.AssertRejected<DataException>(() => ModelFile.Load(path), "not a Crane model file");
    }
}
