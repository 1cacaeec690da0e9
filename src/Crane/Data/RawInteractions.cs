namespace Crane.Data;

/// <summary>Distinct (user, item) pairs of a raw interactions file, ids numbered by first appearance.</summary>
internal sealed class RawInteractions
{
    public required List<string> UserNames { get; init; }
    public required List<string> ItemNames { get; init; }
    public required int[] Users { get; init; }
    public required int[] Items { get; init; }
    public int Count => Users.Length;

    /// <summary>Reads the rows, keeps those passing the rating threshold, and drops repeated pairs (the first is kept).</summary>
    public static RawInteractions Read(PrepareOptions options, List<string> notes)
    {
        using var text = DelimitedText.Open(options.InteractionsFile, options.Delimiter);
        int userColumn = text.Column(options.UserColumn), itemColumn = text.Column(options.ItemColumn);
        int ratingColumn = options.MinRating is null ? -1 : text.Column(options.RatingColumn);
        var (userIndex, itemIndex) = (new Dictionary<string, int>(StringComparer.Ordinal), new Dictionary<string, int>(StringComparer.Ordinal));
        var (userNames, itemNames) = (new List<string>(), new List<string>());
        var (users, items) = (new List<int>(), new List<int>());
        var seen = new HashSet<long>();
        int rows = 0, belowRating = 0, duplicates = 0;
        while (text.MoveNext())
        {
            rows++;
            string user = Id(text, userColumn, options.UserColumn), item = Id(text, itemColumn, options.ItemColumn);
            if (ratingColumn >= 0 && text.Float(ratingColumn, options.RatingColumn) < options.MinRating) { belowRating++; continue; }
            int u = Intern(user, userIndex, userNames), i = Intern(item, itemIndex, itemNames);
            if (!seen.Add(((long)u << 32) | (uint)i)) { duplicates++; continue; }
            users.Add(u);
            items.Add(i);
        }
        if (rows == 0) throw new DataException(options.InteractionsFile, null, "no interactions after the header row.");
        notes.Add($"{options.InteractionsFile}: {rows} rows, {userNames.Count} users, {itemNames.Count} items"
            + (ratingColumn >= 0 ? $"; {belowRating} rows below rating {options.MinRating} dropped" : "")
            + $"; {duplicates} repeated (user, item) rows dropped.");
        return new RawInteractions { UserNames = userNames, ItemNames = itemNames, Users = [.. users], Items = [.. items] };
    }

    static string Id(DelimitedText text, int column, string name)
    {
        string id = text.Text(column);
        if (id.Length == 0) throw text.Error($"{name} is empty.");
        if (id.AsSpan().IndexOfAny('\t', '\r') >= 0) throw text.Error($"{name} '{id}' holds a tab, which the MMRec id maps cannot store.");
        return id;
    }

    static int Intern(string name, Dictionary<string, int> index, List<string> names)
    {
        if (index.TryGetValue(name, out int id)) return id;
        index[name] = names.Count;
        names.Add(name);
        return names.Count - 1;
    }
}
