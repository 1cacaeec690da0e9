using System.Numerics.Tensors;
using Crane.Data;
using Crane.Numerics;

namespace Crane.Tests.Data;

[Collection("Parallelism")]
public class SyntheticGeneratorTests
{
    static readonly SyntheticOptions Options = SyntheticOptions.Tiny;

    [Fact]
    public void Same_seed_gives_the_same_dataset_for_any_thread_count_and_another_seed_differs()
    {
        int saved = Parallelism.Threads;
        try
        {
            Parallelism.Threads = 1;
            var a = SyntheticGenerator.Generate(Options);
            var imageA = a.Modalities["image"].Data;
            Parallelism.Threads = 4;
            var b = SyntheticGenerator.Generate(Options);
            Assert.Equal(a.Train.Users, b.Train.Users);
            Assert.Equal(a.Train.Items, b.Train.Items);
            Assert.Equal(a.Test.Items, b.Test.Items);
            Assert.Equal(imageA, b.Modalities["image"].Data);
            var c = SyntheticGenerator.Generate(Options with { Seed = 1 });
            Assert.NotEqual(a.Train.Items, c.Train.Items);
            Assert.NotEqual(imageA, c.Modalities["image"].Data);
        }
        finally { Parallelism.Threads = saved; }
    }

    [Fact]
    public void Every_user_and_item_occurs_and_pairs_are_distinct_and_split_by_the_mmrec_rule()
    {
        var data = SyntheticGenerator.Generate(Options);
        var all = new[] { data.Train, data.Valid, data.Test }.SelectMany(s => s.Users.Zip(s.Items)).ToArray();
        Assert.Equal(all.Length, all.Distinct().Count());
        Assert.Equal(Options.Users, all.Select(p => p.First).Distinct().Count());
        Assert.Equal(Options.Items, all.Select(p => p.Second).Distinct().Count());
        foreach (var degree in all.GroupBy(p => p.First).Select(g => g.Count()))
            Assert.True(degree >= Options.MinDegree || degree == 1); // 1: a user topped up with an unseen item only
        int expectedValid = all.GroupBy(p => p.First).Sum(g => MmrecSplit.Counts(g.Count()).Valid);
        Assert.Equal(expectedValid, data.Valid.Count);
        Assert.Equal(Options.Users, data.UserCount);
        Assert.Equal((Options.Items, 32), (data.Modalities["image"].Rows, data.Modalities["image"].Cols));
        Assert.Equal(16, data.Modalities["text"].Cols);
    }

    [Fact]
    public void Users_pick_mostly_inside_their_cluster()
    {
        var (data, userCluster, itemCluster) = SyntheticGenerator.GenerateWithTruth(Options);
        double inside = Enumerable.Range(0, data.Train.Count).Count(p => userCluster[data.Train.Users[p]] == itemCluster[data.Train.Items[p]]) / (double)data.Train.Count;
        // Affinity 0.8 plus the share of global picks that land in the user's own cluster (about 1/8).
        Assert.InRange(inside, 0.75, 0.9);
        var none = SyntheticGenerator.GenerateWithTruth(Options with { Affinity = 0 });
        double chance = Enumerable.Range(0, none.Dataset.Train.Count).Count(p => none.UserCluster[none.Dataset.Train.Users[p]] == none.ItemCluster[none.Dataset.Train.Items[p]]) / (double)none.Dataset.Train.Count;
        Assert.InRange(chance, 0.02, 0.35);
    }

    [Fact]
    public void Popularity_is_skewed()
    {
        var data = SyntheticGenerator.Generate(Options with { Users = 2000 });
        var counts = data.Train.Items.CountBy(i => i).Select(c => c.Value).OrderDescending().ToArray();
        int top = counts.Take(counts.Length / 10).Sum();
        Assert.True(top > 0.3 * counts.Sum(), $"top 10% of items hold {top} of {counts.Sum()} interactions");
    }

    [Fact]
    public void Same_cluster_items_have_closer_features_by_informativeness()
    {
        var options = Options with { Modalities = [new("clear", 32, 1f, 0.5f), new("noise", 32, 0f, 1f)] };
        var (data, _, itemCluster) = SyntheticGenerator.GenerateWithTruth(options);
        var (sameClear, otherClear) = MeanCosines(data.Modalities["clear"], itemCluster);
        Assert.True(sameClear > otherClear + 0.3, $"same {sameClear}, other {otherClear}");
        var (sameNoise, otherNoise) = MeanCosines(data.Modalities["noise"], itemCluster);
        Assert.True(Math.Abs(sameNoise - otherNoise) < 0.05, $"same {sameNoise}, other {otherNoise}");
    }

    static (double Same, double Other) MeanCosines(Tensor x, int[] cluster)
    {
        double same = 0, other = 0;
        int nSame = 0, nOther = 0;
        for (int i = 0; i < x.Rows; i++)
            for (int j = i + 1; j < x.Rows; j++)
            {
                double c = TensorPrimitives.CosineSimilarity(x.Row(i), x.Row(j));
                if (cluster[i] == cluster[j]) { same += c; nSame++; } else { other += c; nOther++; }
            }
        return (same / nSame, other / nOther);
    }

    [Fact]
    public void Baby_preset_has_babys_shape_without_touching_features()
    {
        var data = SyntheticGenerator.Generate(SyntheticOptions.Baby);
        Assert.Equal((19445, 7050), (data.UserCount, data.ItemCount));
        int total = data.Train.Count + data.Valid.Count + data.Test.Count;
        Assert.InRange(total, 150_000, 172_000);
        Assert.Equal(["image", "text"], data.Modalities.Keys);
    }

    [Fact]
    public void Presets_by_name()
    {
        foreach (var name in SyntheticOptions.PresetNames) Assert.NotNull(SyntheticOptions.Preset(name));
        Assert.Equal(192403, SyntheticOptions.Preset("electronics").Users);
        Assert.Throws<ArgumentException>(() => SyntheticOptions.Preset("huge"));
    }
}
