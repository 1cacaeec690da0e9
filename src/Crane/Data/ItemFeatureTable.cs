namespace Crane.Data;

/// <summary>
/// Per-item features keyed by raw item id, for prepare: CSV or TSV (delimiter sniffed from the
/// header), a header row, the raw item id in the first column and one float in each other column.
/// </summary>
internal sealed class ItemFeatureTable
{
    readonly Dictionary<string, float[]> _rows;

    public string File { get; }
    public int Dimension { get; }

    ItemFeatureTable(string file, int dimension, Dictionary<string, float[]> rows) => (File, Dimension, _rows) = (file, dimension, rows);

    public static ItemFeatureTable Read(string path)
    {
        using var text = DelimitedText.Open(path);
        int dimension = text.Header.Count - 1;
        if (dimension < 1) throw new DataException(path, 1, "expected the item id column and at least one feature column.");
        var rows = new Dictionary<string, float[]>(StringComparer.Ordinal);
        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        while (text.MoveNext())
        {
            string item = text.Text(0);
            if (!lines.TryAdd(item, text.Line)) throw text.Error($"item '{item}' already has features on line {lines[item]}.");
            var row = new float[dimension];
            for (int c = 0; c < dimension; c++) row[c] = text.Float(c + 1, text.Header[c + 1]);
            rows[item] = row;
        }
        if (rows.Count == 0) throw new DataException(path, null, "no feature rows after the header row.");
        return new ItemFeatureTable(path, dimension, rows);
    }

    public bool Contains(string item) => _rows.ContainsKey(item);

    /// <summary>The features of the map's items, row i = internal item i.</summary>
    public Tensor Rows(IdMap items)
    {
        var tensor = new Tensor(items.Count, Dimension);
        for (int i = 0; i < items.Count; i++) _rows[items.Raw(i)].CopyTo(tensor.Row(i));
        return tensor;
    }
}
