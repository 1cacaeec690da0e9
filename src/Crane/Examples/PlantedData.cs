using Crane.Numerics;

namespace Crane.Examples;

/// <summary>
/// Interactions with planted structure for the demo: each user and item belongs to a latent
/// cluster; a user picks mostly items of their own cluster, with Zipf-like popularity inside it.
/// The last two picks of every user are the test set.
/// </summary>
internal sealed class PlantedData
{
    public required int Users { get; init; }
    public required int Items { get; init; }
    public required int[] UserCluster { get; init; }
    public required int[] ItemCluster { get; init; }
    public required (int User, int Item)[] Train { get; init; }
    public required HashSet<int>[] TrainSet { get; init; }
    public required int[][] Test { get; init; }
    public required int[] Popularity { get; init; }

    const double InClusterShare = 0.8;

    public static PlantedData Generate(DemoOptions o)
    {
        if (o.InteractionsPerUser < 3 || o.InteractionsPerUser > o.Items / o.Clusters)
            throw new ArgumentException($"InteractionsPerUser must be in [3, Items/Clusters = {o.Items / o.Clusters}], got {o.InteractionsPerUser}.");
        var rng = Rng.ForStream(o.Seed, "data");
        var itemCluster = Enumerable.Range(0, o.Items).Select(i => i % o.Clusters).ToArray();
        var userCluster = Enumerable.Range(0, o.Users).Select(_ => rng.NextInt(o.Clusters)).ToArray();
        var members = Enumerable.Range(0, o.Clusters).Select(c => Enumerable.Range(0, o.Items).Where(i => itemCluster[i] == c).ToArray()).ToArray();
        // Zipf weights 1/(rank+1) inside each cluster, as a cumulative table for sampling.
        var cumulative = members.Select(m =>
        {
            var c = new double[m.Length];
            double s = 0;
            for (int r = 0; r < m.Length; r++) c[r] = s += 1.0 / (r + 1);
            return c;
        }).ToArray();

        var train = new List<(int, int)>();
        var trainSet = new HashSet<int>[o.Users];
        var test = new int[o.Users][];
        var popularity = new int[o.Items];
        for (int u = 0; u < o.Users; u++)
        {
            var picked = new List<int>();
            var seen = new HashSet<int>();
            while (picked.Count < o.InteractionsPerUser)
            {
                int c = rng.NextDouble() < InClusterShare ? userCluster[u] : rng.NextInt(o.Clusters);
                double x = rng.NextDouble() * cumulative[c][^1];
                int rank = Array.BinarySearch(cumulative[c], x);
                int item = members[c][rank < 0 ? ~rank : rank];
                if (seen.Add(item)) picked.Add(item);
            }
            trainSet[u] = [.. picked.Take(picked.Count - 2)];
            test[u] = picked.Skip(picked.Count - 2).ToArray();
            foreach (var i in trainSet[u]) { train.Add((u, i)); popularity[i]++; }
        }
        return new PlantedData
        {
            Users = o.Users, Items = o.Items, UserCluster = userCluster, ItemCluster = itemCluster,
            Train = [.. train], TrainSet = trainSet, Test = test, Popularity = popularity,
        };
    }

    /// <summary>One uniform negative per (user, positive) pair, redrawn while it is a training item.</summary>
    public (int[] Users, int[] Positives, int[] Negatives) SampleTriples(ReadOnlySpan<(int User, int Item)> batch, Rng rng)
    {
        var u = new int[batch.Length];
        var p = new int[batch.Length];
        var n = new int[batch.Length];
        for (int b = 0; b < batch.Length; b++)
        {
            u[b] = batch[b].User;
            p[b] = batch[b].Item;
            int j;
            do j = rng.NextInt(Items); while (TrainSet[u[b]].Contains(j));
            n[b] = j;
        }
        return (u, p, n);
    }

    /// <summary>Sets the user's training items to −∞ so they are never recommended.</summary>
    public void MaskTrain(int user, Span<float> scores)
    {
        foreach (var i in TrainSet[user]) scores[i] = float.NegativeInfinity;
    }
}
