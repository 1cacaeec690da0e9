using Crane.Data;
using Crane.Featurize;
using Crane.Tests.Models;

namespace Crane.Tests.Cli;

[Collection("Parallelism")]
public sealed class FeaturizeCommandTests : IDisposable
{
    readonly string _root = Directory.CreateTempSubdirectory("crane-featurize-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Item_text_becomes_text_feat_npy_and_missing_text_is_refused_or_the_mean()
    {
        var tiny = TinyData.Create();
        string[] text = ["heavy metal, <3", "jazz", "", "synthwave, 80s", "folk rock", "ambient"];
        string folder = Path.Combine(_root, "tiny");
        DatasetWriter.Write(new Dataset
        {
            Name = tiny.Name, UserCount = tiny.UserCount, ItemCount = tiny.ItemCount, Valid = tiny.Valid, Test = tiny.Test,
            Train = new Interactions([.. TinyData.TrainPairs.Distinct().Select(p => p.User)], [.. TinyData.TrainPairs.Distinct().Select(p => p.Item)]),
            UserIds = tiny.UserIds, ItemIds = tiny.ItemIds, ItemText = text,
        }, folder);
        string npy = Path.Combine(folder, "text_feat.npy");

        var (code, _, error) = CraneTool.Run("featurize", "--data", folder);
        Assert.Equal(2, code);
        Assert.True(error.Contains("1 item(s) have no text: 'i12'"), error);
        Assert.False(File.Exists(npy));

        Assert.Equal(0, CraneTool.Run("featurize", "--data", folder, "--missing", "mean").Code);
        var features = DatasetReader.Load(folder).Dataset.Modalities["text"];
        using var encoder = new MiniLmTextEncoder();
        Assert.Equal(encoder.Encode(text[0]), features.Row(0).ToArray());
        var mean = Enumerable.Range(0, MiniLmTextEncoder.Dimension).Select(d => new[] { 0, 1, 3, 4, 5 }.Average(i => features[i, d])).ToArray();
        for (int d = 0; d < mean.Length; d++) Assert.Equal(mean[d], features[2, d], 1e-6);

        (code, _, error) = CraneTool.Run("featurize", "--data", folder);
        Assert.Equal(2, code);
        Assert.Contains("exists already; pass --overwrite", error);
    }
}
