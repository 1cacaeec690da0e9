using System.Globalization;

namespace Crane.Data;

/// <summary>
/// The optional per-item text of a dataset folder, <c>item_text.tsv</c> (docs/data-format.md):
/// tab-separated, a header row (column names free), then one line per item: the item's id as in
/// the <c>.inter</c> file, a tab, and the item's text (everything after the first tab). Items
/// without a line have no text. DGVAE's word side reads it.
/// </summary>
public static class ItemTextFile
{
    /// <summary>The file name looked for in a dataset folder.</summary>
    public const string FileName = "item_text.tsv";

    /// <summary>
    /// Reads the text of items 0..<paramref name="itemCount"/>−1 (empty for an item without a line).
    /// </summary>
    /// <exception cref="DataException">An empty file, a line without a tab, an id that is not an
    /// integer in 0..N−1, or an id given twice; the message names the file, line and value.</exception>
    public static string[] Read(string path, int itemCount)
    {
        var text = new string[itemCount];
        var lineOf = new int[itemCount];
        int line = 0;
        foreach (var raw in File.ReadLines(path))
        {
            line++;
            if (line == 1) continue;   // the header
            if (raw.Length == 0) continue;
            int tab = raw.IndexOf('\t');
            if (tab < 0) throw new DataException(path, line, $"expected 'itemID<TAB>text', found no tab in '{Shorten(raw)}'.");
            var idText = raw[..tab];
            if (!int.TryParse(idText, NumberStyles.None, CultureInfo.InvariantCulture, out int item) || item >= itemCount)
                throw new DataException(path, line, $"item id '{Shorten(idText)}' is not an integer in 0..{itemCount - 1} (the .inter file has {itemCount} items).");
            if (lineOf[item] != 0) throw new DataException(path, line, $"item id {item} already has its text on line {lineOf[item]}.");
            lineOf[item] = line;
            text[item] = raw[(tab + 1)..].TrimEnd('\r');
        }
        if (line == 0) throw new DataException(path, null, "empty file; expected a header row, then 'itemID<TAB>text' lines.");
        for (int i = 0; i < itemCount; i++) text[i] ??= "";
        return text;
    }

    /// <summary>Writes the file (header <c>itemID	text</c>, one line per item with text), atomically.</summary>
    public static void Write(string path, IReadOnlyList<string> text) =>
        AtomicFile.WriteLines(path, text.Select((t, i) => (t, i)).Where(p => p.t.Length > 0)
            .Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.i}\t{Flatten(p.t)}")).Prepend("itemID\ttext"));

    // One line per item: tabs and line breaks inside a text become spaces.
    static string Flatten(string text) => text.Replace('\t', ' ').Replace('\r', ' ').Replace('\n', ' ');

    static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
