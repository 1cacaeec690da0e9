using Crane.Data;
using Crane.Numerics;

namespace Crane.Tests.Data;

public class DatasetPreparerTests
{
    // u3 has one row; removing it leaves item c with one row, which leaves u4 with one row:
    // a 2-core needs three rounds and keeps u1, u2 × a, b. The last row repeats u1–a.
    const string Raw = "user_id,item_id,rating,timestamp\nu1,a,5,1\nu1,b,4,2\nu2,a,5,3\nu2,b,3,4\nu3,c,5,5\nu4,c,5,6\nu4,a,2,7\nu1,a,5,8\n";

    [Fact]
    public void Two_core_filter_cascades_until_stable_and_ids_follow_sorted_raw_ids()
    {
        using var dir = new TempFolder();
        var (data, notes) = DatasetPreparer.Prepare(new PrepareOptions { InteractionsFile = dir.File("raw.csv", Raw), KCore = 2 });
        Assert.Equal("raw", data.Name);
        Assert.Equal(["u1", "u2"], data.UserIds.RawIds);
        Assert.Equal(["a", "b"], data.ItemIds.RawIds);
        Assert.Equal(4, data.Train.Count); // n = 2 per user: too few to split, all train
        Assert.Equal(0, data.Valid.Count + data.Test.Count);
        Assert.Contains(notes, n => n.Contains("1 repeated (user, item) rows dropped"));
        Assert.Contains(notes, n => n.Contains("2-core: removed 3 interactions in 3 round(s)"));
    }

    [Fact]
    public void Without_k_core_every_user_and_item_stays()
    {
        using var dir = new TempFolder();
        var data = DatasetPreparer.Prepare(new PrepareOptions { InteractionsFile = dir.File("raw.csv", Raw) }).Dataset;
        Assert.Equal(["u1", "u2", "u3", "u4"], data.UserIds.RawIds);
        Assert.Equal(["a", "b", "c"], data.ItemIds.RawIds);
        Assert.Equal(7, data.Train.Count + data.Valid.Count + data.Test.Count);
    }

    [Fact]
    public void Rating_threshold_tsv_and_named_columns()
    {
        using var dir = new TempFolder();
        string tsv = "who\twhat\tstars\n" + string.Join("\n", Raw.Split('\n').Skip(1).Where(l => l.Length > 0)
            .Select(l => l.Split(',')).Select(f => $"{f[0]}\t{f[1]}\t{f[2]}")) + "\n";
        var data = DatasetPreparer.Prepare(new PrepareOptions
        {
            InteractionsFile = dir.File("raw.tsv", tsv), UserColumn = "who", ItemColumn = "what", RatingColumn = "stars", MinRating = 4,
        }).Dataset;
        var pairs = Enumerable.Range(0, data.Train.Count).Select(p => (data.UserIds.Raw(data.Train.Users[p]), data.ItemIds.Raw(data.Train.Items[p])));
        Assert.Equal([("u1", "a"), ("u1", "b"), ("u2", "a"), ("u3", "c"), ("u4", "c")], pairs.Order());
    }

    [Fact]
    public void Bad_rows_name_file_line_and_value()
    {
        using var dir = new TempFolder();
        string path = dir.File("raw.csv", "user_id,item_id,rating\nu1,a,5\nu1,,4\n");
        var e = Assert.Throws<DataException>(() => DatasetPreparer.Prepare(new PrepareOptions { InteractionsFile = path }));
        Assert.Equal((path, 3), (e.File, e.Line));
        Assert.Contains("item_id is empty", e.Message);
        path = dir.File("raw2.csv", "user_id,item_id,rating\nu1,a,5\nu1,b,high\n");
        e = Assert.Throws<DataException>(() => DatasetPreparer.Prepare(new PrepareOptions { InteractionsFile = path, MinRating = 3 }));
        Assert.Equal(3, e.Line);
        Assert.Contains("rating 'high' is not a number", e.Message);
        e = Assert.Throws<DataException>(() => DatasetPreparer.Prepare(new PrepareOptions { InteractionsFile = path, UserColumn = "uid" }));
        Assert.Contains("missing column 'uid'", e.Message);
    }

    [Fact]
    public void Quoted_fields_keep_their_commas_quotes_and_line_breaks()
    {
        using var dir = new TempFolder();
        // 40 users' rows, each id quoted with a comma inside: read exactly, none split at the comma.
        var rows = Enumerable.Range(0, 40).SelectMany(u => new[] { "a", "b", "c" }.Select(i => $"\"u{u:000}, Jr.\",\"item-{i}\",5"));
        string path = dir.File("raw.csv", "user,item,rating\n" + string.Join("\n", rows) + "\n\"u999, Sr.\",\"say \"\"hi\"\"\nthere\",4\n");
        var data = DatasetPreparer.Prepare(new PrepareOptions { InteractionsFile = path, UserColumn = "user", ItemColumn = "item" }).Dataset;

        Assert.Equal(41, data.UserCount);
        Assert.Contains("u000, Jr.", data.UserIds.RawIds);
        Assert.Contains("say \"hi\"\nthere", data.ItemIds.RawIds);
        Assert.Equal(121, data.Train.Count + data.Valid.Count + data.Test.Count);
    }

    [Theory]
    [InlineData("user_id,item_id,rating\nu1,a,5\nu1,b,4,extra\n", 3, "has 4 field(s) but the header has 3: 'u1,b,4,extra'")]
    [InlineData("user_id,item_id,rating\nu1,a,5\nu2, Jr.,b,4\n", 3, "(a field holding a comma must be in double quotes)")]
    [InlineData("user_id,item_id,rating\nu1,a,5\nu1,b\n", 3, "has 2 field(s) but the header has 3")]
    public void A_row_with_the_wrong_field_count_is_refused_naming_the_line(string content, int line, string message)
    {
        using var dir = new TempFolder();
        string path = dir.File("raw.csv", content);
        var e = Assert.Throws<DataException>(() => DatasetPreparer.Prepare(new PrepareOptions { InteractionsFile = path }));
        Assert.Equal((path, line), (e.File, e.Line));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Lines_of_spaces_are_blank_lines()
    {
        using var dir = new TempFolder();
        string path = dir.File("raw.csv", "user_id,item_id,rating\nu1,a,5\n   \n\nu1,b,4\n \t \n");
        Assert.Equal(2, DatasetPreparer.Prepare(new PrepareOptions { InteractionsFile = path }).Dataset.Train.Count);
    }

    [Fact]
    public void Split_follows_mmrec_rule_on_a_seeded_shuffle_of_each_users_sorted_items()
    {
        using var dir = new TempFolder();
        var rows = new List<string> { "user_id\titem_id" };
        rows.AddRange(Enumerable.Range(0, 12).Reverse().Select(i => $"x\ti{i:D2}"));
        rows.AddRange(Enumerable.Range(0, 5).Select(i => $"y\ti{i:D2}"));
        rows.AddRange(["z\ti03", "z\ti07"]);
        var data = DatasetPreparer.Prepare(new PrepareOptions { InteractionsFile = dir.File("raw.tsv", string.Join("\n", rows)), Seed = 7 }).Dataset;

        // Independent replay of the rule: per user (x, y, z), sorted items, one shared "split" stream.
        var rng = Rng.ForStream(7, "split");
        int[][] items = [[.. Enumerable.Range(0, 12)], [.. Enumerable.Range(0, 5)], [3, 7]];
        (int Valid, int Test)[] counts = [(1, 1), (1, 1), (0, 0)]; // n = 12: vt = ⌊2.4⌋ = 2; n = 5: last two; n = 2: all train
        for (int u = 0; u < 3; u++)
        {
            rng.Shuffle(items[u].AsSpan());
            int n = items[u].Length, train = n - counts[u].Valid - counts[u].Test;
            Assert.Equal(items[u][..train], ItemsOf(data.Train, u));
            Assert.Equal(items[u][train..(train + counts[u].Valid)], ItemsOf(data.Valid, u));
            Assert.Equal(items[u][(train + counts[u].Valid)..], ItemsOf(data.Test, u));
        }
    }

    static int[] ItemsOf(Interactions pairs, int user) => pairs.Items.Where((_, p) => pairs.Users[p] == user).ToArray();

    [Theory]
    [InlineData(1, 0, 0)]
    [InlineData(2, 0, 0)]
    [InlineData(3, 1, 1)]
    [InlineData(9, 1, 1)]
    [InlineData(10, 1, 1)]
    [InlineData(14, 1, 1)]
    [InlineData(15, 1, 2)]
    [InlineData(20, 2, 2)]
    [InlineData(29, 2, 3)]
    [InlineData(100, 10, 10)]
    public void Split_counts(int n, int valid, int test) => Assert.Equal((valid, test), MmrecSplit.Counts(n));

    [Fact]
    public void Features_keyed_by_raw_item_id_follow_the_new_item_order()
    {
        using var dir = new TempFolder();
        string features = dir.File("img.csv", "item,f1,f2\nb,1,2\nzzz,0,0\na,3,4\nc,5,6\n");
        var data = DatasetPreparer.Prepare(new PrepareOptions
        {
            InteractionsFile = dir.File("raw.csv", Raw), FeatureFiles = new Dictionary<string, string> { ["image"] = features },
        }).Dataset;
        Assert.Equal([3, 4, 1, 2, 5, 6], data.Modalities["image"].Data);
    }

    [Fact]
    public void Items_without_features_fail_or_are_dropped_on_request()
    {
        using var dir = new TempFolder();
        string features = dir.File("img.tsv", "item\tf1\na\t1\nc\t2\n");
        var options = new PrepareOptions { InteractionsFile = dir.File("raw.csv", Raw), FeatureFiles = new Dictionary<string, string> { ["image"] = features } };
        var e = Assert.Throws<DataException>(() => DatasetPreparer.Prepare(options));
        Assert.Equal(features, e.File);
        Assert.Contains("no 'image' features for item 'b' (1 of 3 items", e.Message);
        var data = DatasetPreparer.Prepare(options with { DropItemsWithoutFeatures = true }).Dataset;
        Assert.Equal(["a", "c"], data.ItemIds.RawIds);
        Assert.Equal([1, 2], data.Modalities["image"].Data);
    }

    [Theory]
    [InlineData("item,f1\na,1\na,2\n", 3, "item 'a' already has features on line 2")]
    [InlineData("item,f1,f2\na,1\n", 2, "has 2 field(s) but the header has 3: 'a,1'")]
    [InlineData("item,f1\na,NaN\n", 2, "f1 is NaN")]
    public void Bad_feature_rows_name_line_and_value(string content, int line, string message)
    {
        using var dir = new TempFolder();
        string features = dir.File("img.csv", content);
        var e = Assert.Throws<DataException>(() => DatasetPreparer.Prepare(new PrepareOptions
        {
            InteractionsFile = dir.File("raw.csv", Raw), FeatureFiles = new Dictionary<string, string> { ["image"] = features },
        }));
        Assert.Equal((features, line), (e.File, e.Line));
        Assert.Contains(message, e.Message);
    }
}
