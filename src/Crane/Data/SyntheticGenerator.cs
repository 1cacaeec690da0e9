using Crane.Numerics;

namespace Crane.Data;

/// <summary>A synthetic dataset with the planted clusters that generated it (for tests and experiments).</summary>
/// <param name="Dataset">The dataset.</param>
/// <param name="UserCluster">Cluster of each user.</param>
/// <param name="ItemCluster">Cluster of each item.</param>
public sealed record SyntheticDataset(Dataset Dataset, int[] UserCluster, int[] ItemCluster);

/// <summary>
/// Generates datasets with planted structure (docs/data-format.md): users and items belong to
/// latent clusters; a user's picks come from their own cluster with probability Affinity, else
/// from all items, with Zipf-like popularity in both cases; each modality's item features are a
/// noisy random projection of the item's latent vector (its cluster's centre plus jitter). So the
/// content says which cluster an item is in — rarely-seen items included — and a model that reads
/// it can beat an id-only one. Deterministic by seed (and independent of the thread count); no
/// N×N memory; features are generated on first access.
/// </summary>
public static class SyntheticGenerator
{
    /// <summary>The dataset only.</summary>
    public static Dataset Generate(SyntheticOptions options) => GenerateWithTruth(options).Dataset;

    /// <summary>The dataset and its planted clusters.</summary>
    public static SyntheticDataset GenerateWithTruth(SyntheticOptions o)
    {
        Validate(o);
        var clusterRng = Rng.ForStream(o.Seed, "synthetic:clusters");
        // Every cluster gets items (i mod C, shuffled); users pick clusters uniformly.
        var itemCluster = Enumerable.Range(0, o.Items).Select(i => i % o.Clusters).ToArray();
        clusterRng.Shuffle(itemCluster.AsSpan());
        var userCluster = Enumerable.Range(0, o.Users).Select(_ => clusterRng.NextInt(o.Clusters)).ToArray();

        var weight = PopularityWeights(o);
        var members = Enumerable.Range(0, o.Clusters).Select(_ => new List<int>()).ToArray();
        for (int i = 0; i < o.Items; i++) members[itemCluster[i]].Add(i);
        var inCluster = members.Select(m => new WeightedTable(m.ToArray(), weight)).ToArray();
        var global = new WeightedTable(Enumerable.Range(0, o.Items).ToArray(), weight);

        var (users, items) = DrawInteractions(o, userCluster, inCluster, global);
        AddUnseenItems(o, userCluster, itemCluster, users, items);

        var (userStart, grouped) = MmrecSplit.GroupByUser(o.Users, [.. users], [.. items]);
        var (train, valid, test) = MmrecSplit.Split(userStart, grouped, o.Seed);
        var dataset = new Dataset
        {
            Name = o.Name, UserCount = o.Users, ItemCount = o.Items,
            Train = train, Valid = valid, Test = test,
            Modalities = new SyntheticFeatures(o, itemCluster),
            UserIds = IdMap.Identity(o.Users), ItemIds = IdMap.Identity(o.Items),
        };
        return new SyntheticDataset(dataset, userCluster, itemCluster);
    }

    static void Validate(SyntheticOptions o)
    {
        if (o.Users < 1 || o.Items < 2) throw new ArgumentException($"Need at least 1 user and 2 items, got {o.Users} and {o.Items}.");
        if (o.Clusters < 1 || o.Clusters > o.Items) throw new ArgumentException($"Clusters must be in [1, Items = {o.Items}], got {o.Clusters}.");
        if (o.MinDegree < 1 || o.MeanDegree < o.MinDegree) throw new ArgumentException($"Need 1 ≤ MinDegree ≤ MeanDegree, got {o.MinDegree} and {o.MeanDegree}.");
        if (o.Affinity is < 0 or > 1) throw new ArgumentException($"Affinity must be in [0, 1], got {o.Affinity}.");
        if (o.LatentDimension < 1) throw new ArgumentException($"LatentDimension must be positive, got {o.LatentDimension}.");
        foreach (var m in o.Modalities)
        {
            DatasetReader.CheckModalityName(m.Name, "synthetic options");
            if (m.Dimension < 1) throw new ArgumentException($"Modality '{m.Name}' needs a positive dimension, got {m.Dimension}.");
        }
        if (o.Modalities.Select(m => m.Name).Distinct().Count() != o.Modalities.Count) throw new ArgumentException("Modality names must be distinct.");
    }

    /// <summary>Zipf weights over a random popularity order: the item of rank r weighs (r + 1)^−s.</summary>
    static double[] PopularityWeights(SyntheticOptions o)
    {
        var rank = Enumerable.Range(0, o.Items).ToArray();
        Rng.ForStream(o.Seed, "synthetic:popularity").Shuffle(rank.AsSpan());
        return rank.Select(r => Math.Pow(r + 1, -o.PopularityExponent)).ToArray();
    }

    static (List<int> Users, List<int> Items) DrawInteractions(SyntheticOptions o, int[] userCluster, WeightedTable[] inCluster, WeightedTable global)
    {
        var rng = Rng.ForStream(o.Seed, "synthetic:interactions");
        double successP = 1.0 / (1.0 + o.MeanDegree - o.MinDegree); // geometric excess with mean MeanDegree − MinDegree
        int maxDegree = Math.Max(o.MinDegree, o.Items / 2);
        var users = new List<int>((int)(o.Users * o.MeanDegree * 1.05));
        var items = new List<int>(users.Capacity);
        var picked = new List<int>();
        for (int u = 0; u < o.Users; u++)
        {
            int excess = successP >= 1 ? 0 : (int)Math.Min(maxDegree, Math.Floor(Math.Log(1 - rng.NextDouble()) / Math.Log(1 - successP)));
            int degree = Math.Min(maxDegree, o.MinDegree + excess);
            picked.Clear();
            for (int pick = 0; pick < degree; pick++)
            {
                // Redraw from the same table so repeats of popular items do not shift the in-cluster
                // share; a small cluster may run out of new items, so the redraws are bounded.
                var table = rng.NextDouble() < o.Affinity ? inCluster[userCluster[u]] : global;
                for (int attempt = 0; attempt < 64; attempt++)
                {
                    int item = table.Draw(rng);
                    if (picked.Contains(item)) continue;
                    picked.Add(item);
                    break;
                }
            }
            foreach (int item in picked) { users.Add(u); items.Add(item); }
        }
        return (users, items);
    }

    /// <summary>
    /// Gives each item no one picked one interaction with a random user of its cluster, so the
    /// largest item id occurs and the MMRec layout (N = max itemID + 1) round-trips.
    /// </summary>
    static void AddUnseenItems(SyntheticOptions o, int[] userCluster, int[] itemCluster, List<int> users, List<int> items)
    {
        var seen = new bool[o.Items];
        foreach (int i in items) seen[i] = true;
        var clusterUsers = Enumerable.Range(0, o.Clusters).Select(_ => new List<int>()).ToArray();
        for (int u = 0; u < o.Users; u++) clusterUsers[userCluster[u]].Add(u);
        var rng = Rng.ForStream(o.Seed, "synthetic:coverage");
        for (int i = 0; i < o.Items; i++)
        {
            if (seen[i]) continue;
            var candidates = clusterUsers[itemCluster[i]];
            users.Add(candidates.Count > 0 ? candidates[rng.NextInt(candidates.Count)] : rng.NextInt(o.Users));
            items.Add(i);
        }
    }

    /// <summary>Draws items with probability proportional to their weight (cumulative table, binary search).</summary>
    sealed class WeightedTable
    {
        readonly int[] _items;
        readonly double[] _cumulative;

        public WeightedTable(int[] items, double[] weight)
        {
            _items = items;
            _cumulative = new double[items.Length];
            double sum = 0;
            for (int k = 0; k < items.Length; k++) _cumulative[k] = sum += weight[items[k]];
        }

        public int Draw(Rng rng)
        {
            int at = Array.BinarySearch(_cumulative, rng.NextDouble() * _cumulative[^1]);
            return _items[Math.Min(at < 0 ? ~at : at, _items.Length - 1)];
        }
    }
}
