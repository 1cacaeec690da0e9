using Crane.Numerics;

namespace Crane.Data;

/// <summary>
/// MMRec's split rule (protocol.md), shared by prepare and the synthetic generator. Per user, in
/// ascending user order: the user's items sorted ascending, then shuffled with the seeded stream;
/// with n interactions, n &lt; 10 sends the last two to valid and test, otherwise vt = ⌊0.2·n⌋,
/// valid = ⌊vt/2⌋, test = vt − valid (the last ones), the rest train. Users with fewer than three
/// interactions keep them all in train: MMRec's rule would leave them without training rows.
/// </summary>
internal static class MmrecSplit
{
    /// <summary>How many of n interactions go to (valid, test).</summary>
    public static (int Valid, int Test) Counts(int n)
    {
        if (n < 3) return (0, 0);
        if (n < 10) return (1, 1);
        int vt = n / 5, valid = vt / 2;
        return (valid, vt - valid);
    }

    /// <summary>
    /// Splits per-user item lists given in CSR form (user u's items are
    /// <c>items[userStart[u]..userStart[u+1]]</c>, distinct) with <c>Rng.ForStream(seed, "split")</c>.
    /// </summary>
    public static (Interactions Train, Interactions Valid, Interactions Test) Split(int[] userStart, int[] items, ulong seed)
    {
        var rng = Rng.ForStream(seed, "split");
        int users = userStart.Length - 1;
        int[] totals = new int[3];
        for (int u = 0; u < users; u++)
        {
            var (valid, test) = Counts(userStart[u + 1] - userStart[u]);
            totals[1] += valid;
            totals[2] += test;
        }
        totals[0] = items.Length - totals[1] - totals[2];
        var parts = totals.Select(n => new Interactions(new int[n], new int[n])).ToArray();
        var filled = new int[3];
        var order = new int[MaxDegree(userStart)];
        for (int u = 0; u < users; u++)
        {
            int n = userStart[u + 1] - userStart[u];
            var mine = order.AsSpan(0, n);
            items.AsSpan(userStart[u], n).CopyTo(mine);
            mine.Sort();
            rng.Shuffle(mine);
            var (valid, test) = Counts(n);
            for (int p = 0; p < n; p++)
            {
                int s = p < n - valid - test ? 0 : p < n - test ? 1 : 2;
                parts[s].Users[filled[s]] = u;
                parts[s].Items[filled[s]++] = mine[p];
            }
        }
        return (parts[0], parts[1], parts[2]);
    }

    /// <summary>Groups pairs by user (a stable counting sort): user u's items are <c>items[userStart[u]..userStart[u+1]]</c>.</summary>
    public static (int[] UserStart, int[] Items) GroupByUser(int userCount, int[] users, int[] items)
    {
        var start = new int[userCount + 1];
        foreach (int u in users) start[u + 1]++;
        for (int u = 0; u < userCount; u++) start[u + 1] += start[u];
        var next = start[..^1];
        var grouped = new int[items.Length];
        for (int p = 0; p < users.Length; p++) grouped[next[users[p]]++] = items[p];
        return (start, grouped);
    }

    static int MaxDegree(int[] userStart)
    {
        int max = 0;
        for (int u = 0; u + 1 < userStart.Length; u++) max = Math.Max(max, userStart[u + 1] - userStart[u]);
        return max;
    }
}
