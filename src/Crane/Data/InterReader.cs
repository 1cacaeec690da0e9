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
    /// <summary>Reads and checks every row; bad input throws a <see cref="DataException"/> naming file, line and value.</summary>
    public static InterTable Read(string path)
    {
        using var text = DelimitedText.Open(path, '\t');
        int userColumn = text.Column("userID"), itemColumn = text.Column("itemID"), labelColumn = text.Column("x_label");
        var users = new List<int>();
        var items = new List<int>();
        var labels = new List<Split>();
        var lines = new List<int>();
        int maxUser = -1, maxItem = -1;
        while (text.MoveNext())
        {
            int user = Id(text, userColumn, "userID"), item = Id(text, itemColumn, "itemID");
            int label = text.Int(labelColumn, "x_label");
            if (label is < 0 or > 2) throw text.Error($"x_label {label} is not 0 (train), 1 (valid) or 2 (test).");
            users.Add(user);
            items.Add(item);
            labels.Add((Split)label);
            lines.Add(text.Line);
            maxUser = Math.Max(maxUser, user);
            maxItem = Math.Max(maxItem, item);
        }
        if (users.Count == 0) throw new DataException(path, null, "no interactions after the header row.");
        return new InterTable
        {
            File = path, Users = [.. users], Items = [.. items], Labels = [.. labels], Lines = [.. lines],
            UserCount = maxUser + 1, ItemCount = maxItem + 1,
        };
    }

    static int Id(DelimitedText text, int column, string name)
    {
        int id = text.Int(column, name);
        if (id < 0) throw text.Error($"{name} {id} is negative; ids are 0-based.");
        return id;
    }
}
