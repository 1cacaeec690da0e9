using Crane.Data;

namespace Crane.Tests.Models;

/// <summary>
/// A hand-built dataset: 4 users, 6 items, raw ids that differ from the internal ones. The
/// training split repeats one pair (user 0, item 1) and leaves item 5 without training rows.
/// </summary>
public static class TinyData
{
    public static readonly (int User, int Item)[] TrainPairs = [(0, 0), (0, 1), (0, 1), (0, 2), (1, 1), (1, 3), (2, 0), (2, 4), (3, 2)];

    public static Dataset Create() => new()
    {
        Name = "tiny",
        UserCount = 4,
        ItemCount = 6,
        Train = Pairs(TrainPairs),
        Valid = Pairs([(0, 3), (1, 0), (2, 1)]),
        Test = Pairs([(0, 4), (1, 2), (3, 5)]),
        UserIds = new IdMap(["alice", "bob", "carol", "dave"]),
        ItemIds = new IdMap(["i10", "i11", "i12", "i13", "i14", "i15"]),
    };

    static Interactions Pairs((int User, int Item)[] pairs) =>
        new(pairs.Select(p => p.User).ToArray(), pairs.Select(p => p.Item).ToArray());
}
