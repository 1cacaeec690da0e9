using Crane.Data;

namespace Crane.Tests.Data;

/// <summary>The real datasets in ../shared/data (protocol.md); skipped, with the reason, when absent.</summary>
public class RealDataTests
{
    const string Baby = "data/amazon-baby/baby.inter";
    const string TikTok = "data/tiktok/tiktok.inter";

    [SharedDataFact(Baby)]
    public void Amazon_baby_loads_with_published_counts()
    {
        var (data, warnings) = DatasetReader.Load(Path.GetDirectoryName(SharedFiles.Find(Baby))!);
        Assert.Equal((19445, 7050), (data.UserCount, data.ItemCount));
        Assert.Equal((118551, 20559, 21682), (data.Train.Count, data.Valid.Count, data.Test.Count));
        Assert.Empty(data.Modalities);
        Assert.Empty(warnings);
    }

    [SharedDataFact(Baby)]
    public void Mmrec_split_counts_reproduce_babys_label_totals()
    {
        // The totals depend only on user degrees (SOURCE.md), so re-splitting must give the same three numbers.
        var data = DatasetReader.Load(Path.GetDirectoryName(SharedFiles.Find(Baby))!).Dataset;
        var users = data.Train.Users.Concat(data.Valid.Users).Concat(data.Test.Users).ToArray();
        var items = data.Train.Items.Concat(data.Valid.Items).Concat(data.Test.Items).ToArray();
        var (start, grouped) = MmrecSplit.GroupByUser(data.UserCount, users, items);
        var (train, valid, test) = MmrecSplit.Split(start, grouped, 999);
        Assert.Equal((118551, 20559, 21682), (train.Count, valid.Count, test.Count));
    }

    [SharedDataFact(TikTok, "data/tiktok/image_feat.npy", "data/tiktok/audio_feat.npy")]
    public void Tiktok_loads_crlf_interactions_and_float16_features()
    {
        var (data, _) = DatasetReader.Load(Path.GetDirectoryName(SharedFiles.Find(TikTok))!);
        Assert.Equal((9308, 6710), (data.UserCount, data.ItemCount));
        Assert.Equal((59541, 3051, 6130), (data.Train.Count, data.Valid.Count, data.Test.Count));
        Assert.Equal(["audio", "image"], data.Modalities.Keys.Order());
        foreach (var features in data.Modalities.Values)
        {
            Assert.Equal((6710, 128), (features.Rows, features.Cols));
            Assert.Contains(features.Data, v => v != 0);
        }
        Assert.Equal(3, data.SourceFiles.Count);
    }
}
