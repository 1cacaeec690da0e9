using Crane.Data;

namespace Crane.Tests;

/// <summary>Small in-memory datasets for tests (internal ids, no files).</summary>
internal static class TestDatasets
{
    /// <summary>A dataset from (user, item) pair lists per split.</summary>
    public static Dataset FromPairs(int users, int items, (int User, int Item)[] train,
        (int User, int Item)[]? valid = null, (int User, int Item)[]? test = null) => new()
    {
        Name = "test",
        UserCount = users,
        ItemCount = items,
        Train = ToInteractions(train),
        Valid = ToInteractions(valid ?? []),
        Test = ToInteractions(test ?? []),
        UserIds = IdMap.Identity(users),
        ItemIds = IdMap.Identity(items),
    };

    /// <summary>
    /// Random data: each user gets 1–<paramref name="maxTrain"/> distinct training items and
    /// 0–<paramref name="maxTest"/> distinct test items not among them (so some users have no
    /// test item); items are drawn from the first <paramref name="usedItems"/> of <paramref name="items"/>.
    /// </summary>
    public static Dataset Random(int users, int items, int seed, int maxTrain = 8, int maxTest = 4, int? usedItems = null)
    {
        var rng = new System.Random(seed);
        int pool = usedItems ?? items;
        var (train, test) = (new List<(int, int)>(), new List<(int, int)>());
        for (int u = 0; u < users; u++)
        {
            int nTrain = rng.Next(1, maxTrain + 1), nTest = rng.Next(maxTest + 1);
            var chosen = Enumerable.Range(0, pool).OrderBy(_ => rng.Next()).Take(nTrain + nTest).ToArray();
            train.AddRange(chosen[..nTrain].Select(i => (u, i)));
            test.AddRange(chosen[nTrain..].Select(i => (u, i)));
        }
        return FromPairs(users, items, [.. train], test: [.. test]);
    }

    static Interactions ToInteractions((int User, int Item)[] pairs) =>
        new(pairs.Select(p => p.User).ToArray(), pairs.Select(p => p.Item).ToArray());
}
