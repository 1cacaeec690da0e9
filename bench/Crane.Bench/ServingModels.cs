using Crane.Data;
using Crane.Numerics;
using Crane.Serving;

namespace Crane.Bench;

/// <summary>Trained-model stand-ins of a given shape for the serving reports: random 64-d tables and random seen items.</summary>
internal static class ServingModels
{
    /// <summary>The shapes the serving reports time.</summary>
    public static readonly (string Name, int Users, int Items)[] Shapes =
    [
        ("TikTok-sized", 9_308, 6_710),
        ("Electronics-sized", 192_403, 63_001),
    ];

    /// <summary>
    /// A model of <paramref name="users"/> × <paramref name="items"/> with 64-d normal tables and
    /// <paramref name="seenPerUser"/> distinct random training items per user (raw ids "u…" and "i…").
    /// </summary>
    public static TrainedModel Random(int users, int items, int seenPerUser = 8, ulong seed = 1)
    {
        var rng = Rng.ForStream(seed, "serving-bench");
        var (u, i) = (new int[users * seenPerUser], new int[users * seenPerUser]);
        var picked = new HashSet<int>();
        for (int user = 0, e = 0; user < users; user++)
        {
            picked.Clear();
            while (picked.Count < seenPerUser) picked.Add(rng.NextInt(items));
            foreach (int item in picked) (u[e], i[e++]) = (user, item);
        }
        var data = new Dataset
        {
            Name = $"random-{users}x{items}", UserCount = users, ItemCount = items,
            Train = new Interactions(u, i), Valid = new Interactions([], []), Test = new Interactions([], []),
            UserIds = new IdMap(Enumerable.Range(0, users).Select(n => $"u{n}").ToArray()),
            ItemIds = new IdMap(Enumerable.Range(0, items).Select(n => $"i{n}").ToArray()),
        };
        return TrainedModel.From(DotProductModel.Random(users, items, 64, seed), data);
    }
}
