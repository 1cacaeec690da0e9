using Crane.Data;

namespace Crane.Tests.Data;

public class DatasetWriterTests
{
    static Dataset Prepared(TempFolder dir)
    {
        var raw = "user_id,item_id\n" + string.Join("\n", Enumerable.Range(0, 60).Select(p => $"user{p % 7},item{(p * 5) % 11}"));
        string features = dir.File("text.csv", "id,a,b\n" + string.Join("\n", Enumerable.Range(0, 11).Select(i => $"item{i},{i},{-0.5 * i}")));
        return DatasetPreparer.Prepare(new PrepareOptions
        {
            InteractionsFile = dir.File("shop.csv", raw), FeatureFiles = new Dictionary<string, string> { ["text"] = features },
        }).Dataset;
    }

    [Fact]
    public void Written_folder_loads_back_identically()
    {
        using var dir = new TempFolder();
        var data = Prepared(dir);
        string folder = Path.Combine(dir.Path, "out");
        DatasetWriter.Write(data, folder);
        Assert.Equal(["i_id_mapping.csv", "shop.inter", "text_feat.npy", "u_id_mapping.csv"], Directory.GetFiles(folder).Select(Path.GetFileName).Order());
        Assert.StartsWith("userID\titemID\tx_label\n", File.ReadAllText(Path.Combine(folder, "shop.inter")));
        var (back, warnings) = DatasetReader.Load(folder);
        Assert.Empty(warnings);
        Assert.Equal("shop", back.Name);
        Assert.Equal((data.UserCount, data.ItemCount), (back.UserCount, back.ItemCount));
        foreach (var split in new[] { Split.Train, Split.Valid, Split.Test })
        {
            Assert.Equal(data[split].Users, back[split].Users);
            Assert.Equal(data[split].Items, back[split].Items);
        }
        Assert.Equal(data.UserIds.RawIds, back.UserIds.RawIds);
        Assert.Equal(data.ItemIds.RawIds, back.ItemIds.RawIds);
        Assert.Equal(data.Modalities["text"].Data, back.Modalities["text"].Data);
    }

    [Fact]
    public void Identity_ids_write_no_map_files()
    {
        using var dir = new TempFolder();
        var data = SyntheticGenerator.Generate(SyntheticOptions.Tiny with { Modalities = [] });
        DatasetWriter.Write(data, Path.Combine(dir.Path, "s"));
        Assert.Equal(["synthetic.inter"], Directory.GetFiles(Path.Combine(dir.Path, "s")).Select(Path.GetFileName));
    }

    [Fact]
    public void Existing_folder_is_kept_unless_overwriting_is_asked()
    {
        using var dir = new TempFolder();
        var data = Prepared(dir);
        string folder = Path.Combine(dir.Path, "out");
        dir.File("out/old.txt", "keep me");
        Assert.Throws<IOException>(() => DatasetWriter.Write(data, folder));
        Assert.True(File.Exists(Path.Combine(folder, "old.txt")));
        DatasetWriter.Write(data, folder, overwrite: true);
        Assert.False(File.Exists(Path.Combine(folder, "old.txt")));
        Assert.Equal(["out", "shop.csv", "text.csv"], Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void A_failed_write_leaves_nothing_behind()
    {
        using var dir = new TempFolder();
        var good = Prepared(dir);
        var bad = new Dataset
        {
            Name = good.Name, UserCount = good.UserCount, ItemCount = good.ItemCount, Train = good.Train, Valid = good.Valid, Test = good.Test,
            UserIds = good.UserIds, ItemIds = good.ItemIds, Modalities = new Dictionary<string, Tensor> { ["image"] = new Tensor(good.ItemCount + 1, 2) },
        };
        Assert.Throws<ArgumentException>(() => DatasetWriter.Write(bad, Path.Combine(dir.Path, "out")));
        Assert.Equal(["shop.csv", "text.csv"], Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName).Order());
    }
}
