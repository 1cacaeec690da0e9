namespace Crane.Data;

/// <summary>
/// MMRec's id-map files (<c>u_id_mapping.csv</c>, <c>i_id_mapping.csv</c>): tab-separated with a
/// header row; the first column is the raw id, the second the internal id.
/// </summary>
internal static class IdMapFile
{
    public const string UserFile = "u_id_mapping.csv";
    public const string ItemFile = "i_id_mapping.csv";

    /// <summary>Reads a map that must cover internal ids 0..<paramref name="count"/>−1 exactly once each.</summary>
    public static IdMap Read(string path, int count, string what)
    {
        using var text = DelimitedText.Open(path, '\t');
        if (text.Header.Count < 2) throw new DataException(path, 1, $"expected two columns (raw id, internal id), the header has {text.Header.Count}.");
        var raw = new string?[count];
        var seen = new Dictionary<string, int>(count, StringComparer.Ordinal);
        while (text.MoveNext())
        {
            string rawId = text.Text(0);
            int id = text.Int(1, $"internal {what} id");
            if (id < 0 || id >= count)
                throw text.Error($"internal {what} id {id} is outside 0..{count - 1} (the .inter file has {count} {what}s).");
            if (raw[id] is not null) throw text.Error($"internal {what} id {id} is mapped twice.");
            if (!seen.TryAdd(rawId, text.Line)) throw text.Error($"raw {what} id '{rawId}' also appears on line {seen[rawId]}.");
            raw[id] = rawId;
        }
        int missing = Array.IndexOf(raw, null);
        if (missing >= 0) throw new DataException(path, null, $"internal {what} id {missing} has no raw id ({raw.Count(r => r is null)} missing).");
        return new IdMap(raw!);
    }

    /// <summary>Writes a map with the given header (raw column name, internal column name).</summary>
    public static void Write(string path, IdMap map, string rawColumn, string idColumn) =>
        AtomicFile.WriteLines(path, map.RawIds.Select((raw, id) => $"{raw}\t{id}").Prepend($"{rawColumn}\t{idColumn}"));

    /// <summary>True when raw id i is the text of i for every i (no map file is needed).</summary>
    public static bool IsIdentity(IdMap map)
    {
        for (int i = 0; i < map.Count; i++)
            if (map.Raw(i) != i.ToString(System.Globalization.CultureInfo.InvariantCulture)) return false;
        return true;
    }
}
