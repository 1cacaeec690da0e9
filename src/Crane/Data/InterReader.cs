namespace Crane.Data;

/// <summary>
/// The rows of an MMRec <c>.inter</c> file in file order: user, item and split of each row, with
/// M = max userID + 1 and N = max itemID + 1 over the whole file (protocol.md).
/// </summary>
public sealed class InterTable
{
    /// <summary>The file read.</summary>
    public required string File { get; init; }

    /// <summary>userID of each row.</summary>
    public required int[] Users { get; init; }

    /// <summary>itemID of each row.</summary>
    public required int[] Items { get; init; }

    /// <summary>x_label of each row.</summary>
    public required Split[] Labels { get; init; }

    /// <summary>1-based line number of each row in the file (blank lines are skipped).</summary>
    public required int[] Lines { get; init; }

    /// <summary>M: max userID + 1.</summary>
    public required int UserCount { get; init; }

    /// <summary>N: max itemID + 1.</summary>
    public required int ItemCount { get; init; }

    /// <summary>Number of rows.</summary>
    public int Count => Users.Length;
}

/// <summary>
/// Reads an MMRec <c>.inter</c> file: tab-separated with a header; the columns userID, itemID and
/// x_label are found by name (rating, timestamp and any others are ignored); LF or CRLF endings.
/// </summary>
public static class InterReader
{
    /// <summary>
    /// Reads and checks every row; bad input throws a <see cref="DataException"/> naming file, line
    /// and value. Ids are 0-based and should be dense: an id range far larger than the distinct ids
    /// (M = max id + 1 would be mostly empty rows, each a row of every embedding table) is refused
    /// with the numbers unless <paramref name="allowSparseIds"/>.
    /// </summary>
    public static InterTable Read(string path, bool allowSparseIds = false)
    {
        using var text = DelimitedText.Open(path, '\t');
        int userColumn = text.Column("userID"), itemColumn = text.Column("itemID"), labelColumn = text.Column("x_label");
        var users = new List<int>();
        var items = new List<int>();
        var labels = new List<Split>();
        var lines = new List<int>();
        int maxUser = -1, maxItem = -1, maxUserLine = 0, maxItemLine = 0;
        while (text.MoveNext())
        {
            int user = Id(text, userColumn, "userID"), item = Id(text, itemColumn, "itemID");
            int label = text.Int(labelColumn, "x_label");
            if (label is < 0 or > 2) throw text.Error($"x_label {label} is not 0 (train), 1 (valid) or 2 (test).");
            users.Add(user);
            items.Add(item);
            labels.Add((Split)label);
            lines.Add(text.Line);
            if (user > maxUser) (maxUser, maxUserLine) = (user, text.Line);
            if (item > maxItem) (maxItem, maxItemLine) = (item, text.Line);
        }
        if (users.Count == 0) throw new DataException(path, null, "no interactions after the header row.");
        if (!allowSparseIds)
        {
            CheckDense(path, "user", users, maxUser, maxUserLine);
            CheckDense(path, "item", items, maxItem, maxItemLine);
        }
        return new InterTable
        {
            File = path, Users = [.. users], Items = [.. items], Labels = [.. labels], Lines = [.. lines],
            UserCount = maxUser + 1, ItemCount = maxItem + 1,
        };
    }

    /// <summary>Ids may leave gaps, but not this many: more than 1,000 slots and over 10 per id used.</summary>
    static void CheckDense(string path, string what, List<int> ids, int max, int line)
    {
        long range = max + 1L;
        if (range <= 1000) return;
        int distinct = ids.Distinct().Count();
        if (range <= 10L * distinct) return;
        throw new DataException(path, line, $"{what}ID {max} makes {range:N0} {what}s, but only {distinct:N0} distinct {what}IDs appear: " +
            $"{100.0 * (range - distinct) / range:F1} % of every {what} table would be unused rows. Renumber the ids 0 … {distinct - 1} (crane prepare does), " +
            "or pass --allow-sparse-ids to keep them.");
    }

    static int Id(DelimitedText text, int column, string name)
    {
        int id = text.Int(column, name);
        if (id < 0) throw text.Error($"{name} {id} is negative; ids are 0-based.");
        return id;
    }
}
