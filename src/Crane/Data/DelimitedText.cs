using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Crane.Data;

/// <summary>
/// A delimited text file (TSV or CSV with a header row) parsed from its bytes, one row at a time,
/// without allocating per line: fields are byte ranges of the current line. LF and CRLF endings,
/// a UTF-8 byte-order mark and blank lines are tolerated; surrounding spaces and double quotes
/// around a field are stripped (quoted fields may not contain the delimiter). Every parse error
/// is a <see cref="DataException"/> naming the file, the 1-based line and the value.
/// </summary>
internal sealed class DelimitedText
{
    const int MaxShownValue = 40;

    readonly byte[] _data;
    int _next;
    int _lineStart, _lineEnd;
    Range[] _fields = new Range[8];

    /// <summary>The file name, for messages.</summary>
    public string File { get; }

    /// <summary>The field separator.</summary>
    public byte Delimiter { get; }

    /// <summary>Column names from the header row.</summary>
    public IReadOnlyList<string> Header { get; }

    /// <summary>1-based line number of the current row.</summary>
    public int Line { get; private set; }

    /// <summary>Fields in the current row.</summary>
    public int FieldCount { get; private set; }

    DelimitedText(string file, byte[] data, byte? delimiter)
    {
        File = file;
        _data = data;
        if (data.AsSpan().StartsWith("\uFEFF"u8)) _next = 3;
        if (!NextLine()) throw new DataException(file, null, "the file is empty (a header row is expected).");
        var header = _data.AsSpan(_lineStart, _lineEnd - _lineStart);
        Delimiter = delimiter ?? Sniff(header);
        Split();
        var names = new string[FieldCount];
        for (int f = 0; f < FieldCount; f++) names[f] = Text(f);
        Header = names;
    }

    /// <summary>Reads <paramref name="path"/> and its header row; the delimiter is sniffed from the header when not given.</summary>
    public static DelimitedText Open(string path, byte? delimiter = null)
    {
        if (!System.IO.File.Exists(path)) throw new DataException(path, null, "file not found.");
        return new DelimitedText(path, System.IO.File.ReadAllBytes(path), delimiter);
    }

    /// <summary>Tab when the header holds one, else comma when it holds one, else tab.</summary>
    static byte Sniff(ReadOnlySpan<byte> header) =>
        header.Contains((byte)'\t') ? (byte)'\t' : header.Contains((byte)',') ? (byte)',' : (byte)'\t';

    /// <summary>Index of a column by exact name; a missing required column is an error on line 1.</summary>
    public int Column(string name, bool required = true)
    {
        for (int c = 0; c < Header.Count; c++)
            if (Header[c] == name) return c;
        if (required)
            throw new DataException(File, 1, $"missing column '{name}'; the header has {string.Join(", ", Header.Select(h => $"'{h}'"))}.");
        return -1;
    }

    /// <summary>Moves to the next non-blank row; false at the end of the file.</summary>
    public bool MoveNext()
    {
        while (NextLine())
        {
            if (_lineEnd == _lineStart) continue;
            Split();
            return true;
        }
        return false;
    }

    /// <summary>Throws unless the current row has a field at <paramref name="index"/>.</summary>
    public void Require(int index)
    {
        if (index >= FieldCount)
            throw Error($"has {FieldCount} field(s) but the header has {Header.Count}: '{Shown(_data.AsSpan(_lineStart, _lineEnd - _lineStart))}'.");
    }

    /// <summary>Raw bytes of field <paramref name="index"/> of the current row (trimmed).</summary>
    public ReadOnlySpan<byte> Field(int index)
    {
        Require(index);
        return _data.AsSpan(_fields[index]);
    }

    /// <summary>Field <paramref name="index"/> as a string.</summary>
    public string Text(int index) => Encoding.UTF8.GetString(Field(index));

    /// <summary>Field <paramref name="index"/> as an integer (column <paramref name="column"/> in messages).</summary>
    public int Int(int index, string column)
    {
        var field = Field(index);
        if (Utf8Parser.TryParse(field, out int value, out int used) && used == field.Length) return value;
        throw Error($"{column} '{Shown(field)}' is not an integer.");
    }

    /// <summary>Field <paramref name="index"/> as a finite float (column <paramref name="column"/> in messages).</summary>
    public float Float(int index, string column)
    {
        var field = Field(index);
        if (!float.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out float value))
            throw Error($"{column} '{Shown(field)}' is not a number.");
        if (!float.IsFinite(value)) throw Error($"{column} is {Shown(field)}; values must be finite.");
        return value;
    }

    /// <summary>An error on the current line.</summary>
    public DataException Error(string problem) => new(File, Line, problem);

    /// <summary>A value as it appears in a message: text, cut at 40 characters.</summary>
    public static string Shown(ReadOnlySpan<byte> value)
    {
        var text = Encoding.UTF8.GetString(value);
        return text.Length <= MaxShownValue ? text : text[..MaxShownValue] + "…";
    }

    bool NextLine()
    {
        if (_next >= _data.Length) return false;
        Line++;
        _lineStart = _next;
        int newline = _data.AsSpan(_next).IndexOf((byte)'\n');
        int end = newline < 0 ? _data.Length : _next + newline;
        _next = newline < 0 ? _data.Length : end + 1;
        if (end > _lineStart && _data[end - 1] == '\r') end--;
        _lineEnd = end;
        return true;
    }

    void Split()
    {
        FieldCount = 0;
        int start = _lineStart;
        while (true)
        {
            int at = _data.AsSpan(start, _lineEnd - start).IndexOf(Delimiter);
            int end = at < 0 ? _lineEnd : start + at;
            if (FieldCount == _fields.Length) Array.Resize(ref _fields, _fields.Length * 2);
            _fields[FieldCount++] = Trim(start, end);
            if (at < 0) break;
            start = end + 1;
        }
    }

    Range Trim(int start, int end)
    {
        while (start < end && _data[start] == ' ') start++;
        while (end > start && _data[end - 1] == ' ') end--;
        if (end - start >= 2 && _data[start] == '"' && _data[end - 1] == '"') { start++; end--; }
        return start..end;
    }
}
