using Crane.Data;

namespace Crane.Tests.Training;

/// <summary>A hand-built dataset: two taste groups of users, each liking its own half of the items.</summary>
internal static class TinyData
{
    public static Dataset Build(int users = 12, int items = 10, IReadOnlyList<string>? sourceFiles = null)
    {
        var (train, valid, test) = (new List<(int, int)>(), new List<(int, int)>(), new List<(int, int)>());
        int half = items / 2;
        for (int u = 0; u < users; u++)
        {
            int offset = u % 2 == 0 ? 0 : half;
            // Items of the user's own half: the first three in train, then one valid, one test.
            for (int j = 0; j < 3; j++) train.Add((u, offset + (u + j) % half));
            valid.Add((u, offset + (u + 3) % half));
            test.Add((u, offset + (u + 4) % half));
        }
        return new Dataset
        {
            Name = "tiny",
            UserCount = users,
            ItemCount = items,
            Train = ToInteractions(train),
            Valid = ToInteractions(valid),
            Test = ToInteractions(test),
            UserIds = new IdMap(Enumerable.Range(0, users).Select(u => $"u{u}").ToArray()),
            ItemIds = new IdMap(Enumerable.Range(0, items).Select(i => $"i{i}").ToArray()),
            SourceFiles = sourceFiles ?? [],
        };
    }

    static Interactions ToInteractions(List<(int User, int Item)> pairs) =>
        new(pairs.Select(p => p.User).ToArray(), pairs.Select(p => p.Item).ToArray());
}
