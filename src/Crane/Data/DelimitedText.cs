using System.Globalization;
using nietras.SeparatedValues;

namespace Crane.Data;

/// <summary>
/// A delimited text file (TSV or CSV with a header row) read row by row through Sep, an RFC 4180
/// parser: quoted fields may hold the delimiter, doubled quotes and line breaks, and are read
/// exactly; surrounding spaces are trimmed; blank lines (and lines of nothing but spaces and tabs) are skipped. Every
/// row must have the header's number of fields. Every error is a <see cref="DataException"/>
/// naming the file, the 1-based line and the value.
/// </summary>
internal sealed class DelimitedText : IDisposable
{
    const int MaxShownValue = 40;

    readonly SepReader _reader;

    /// <summary>The file name, for messages.</summary>
    public string File { get; }

    /// <summary>The field separator.</summary>
    public char Delimiter { get; }

    /// <summary>Column names from the header row.</summary>
    public IReadOnlyList<string> Header { get; }

    /// <summary>1-based line number where the current row starts.</summary>
    public int Line { get; private set; } = 1;

    /// <summary>Fields in the current row.</summary>
    public int FieldCount { get; private set; }

    DelimitedText(string file, char delimiter)
    {
        (File, Delimiter) = (file, delimiter);
        // The header is read as a row of its own, so its problems get this class's messages.
        _reader = Sep.Reader(o => o with { Sep = new Sep(delimiter), HasHeader = false, Unescape = true, Trim = SepTrim.All, DisableColCountCheck = true }).FromFile(file);
        Header = ReadHeader();
    }

    string[] ReadHeader()
    {
        try
        {
            while (_reader.MoveNext())
            {
                var row = _reader.Current;
                if (row.Span.IsWhiteSpace()) continue;
                Line = FirstLine(row);
                var names = new string[row.ColCount];
                for (int c = 0; c < names.Length; c++) names[c] = row[c].ToString();
                var twice = names.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
                if (twice is not null) throw Error($"the header names column '{Shown(twice.Key)}' {twice.Count()} times; each column needs a name of its own.");
                return names;
            }
        }
        catch (InvalidDataException e) { throw Error($"is not valid delimited text: {e.Message}"); }
        throw new DataException(File, null, "the file is empty (a header row is expected).");
    }

    /// <summary>Opens <paramref name="path"/> and reads its header row; the delimiter is sniffed from the header when not given.</summary>
    public static DelimitedText Open(string path, char? delimiter = null)
    {
        if (!System.IO.File.Exists(path)) throw new DataException(path, null, "file not found.");
        return new DelimitedText(path, delimiter ?? Sniff(System.IO.File.ReadLines(path).FirstOrDefault() ?? ""));
    }

    /// <summary>Tab when the header holds one, else comma when it holds one, else tab.</summary>
    static char Sniff(string header) => header.Contains('\t') ? '\t' : header.Contains(',') ? ',' : '\t';

    /// <summary>Index of a column by exact name; a missing required column is an error on line 1.</summary>
    public int Column(string name, bool required = true)
    {
        for (int c = 0; c < Header.Count; c++)
            if (Header[c] == name) return c;
        if (required)
            throw new DataException(File, 1, $"missing column '{name}'; the header has {string.Join(", ", Header.Select(h => $"'{h}'"))}.");
        return -1;
    }

    /// <summary>
    /// Moves to the next non-blank row; false at the end of the file. A row whose field count is
    /// not the header's is an error naming its line (a stray delimiter would otherwise shift columns).
    /// </summary>
    public bool MoveNext()
    {
        try
        {
            while (_reader.MoveNext())
            {
                var row = _reader.Current;
                Line = FirstLine(row);
                FieldCount = row.ColCount;
                if (row.Span.IsWhiteSpace()) continue;
                if (FieldCount != Header.Count)
                    throw Error($"has {FieldCount} field(s) but the header has {Header.Count}: '{Shown(row.Span)}'" +
                        (Delimiter == ',' && FieldCount > Header.Count ? " (a field holding a comma must be in double quotes)." : "."));
                return true;
            }
        }
        catch (InvalidDataException e) { throw Error($"is not valid delimited text: {e.Message}"); }
        return false;
    }

    /// <summary>Throws unless the current row has a field at <paramref name="index"/>.</summary>
    public void Require(int index)
    {
        if (index >= FieldCount) throw Error($"has {FieldCount} field(s) but the header has {Header.Count}.");
    }

    /// <summary>Field <paramref name="index"/> of the current row (trimmed, quotes removed).</summary>
    public ReadOnlySpan<char> Field(int index)
    {
        Require(index);
        return _reader.Current[index].Span;
    }

    /// <summary>Field <paramref name="index"/> as a string.</summary>
    public string Text(int index) => Field(index).ToString();

    /// <summary>Field <paramref name="index"/> as an integer (column <paramref name="column"/> in messages).</summary>
    public int Int(int index, string column)
    {
        var field = Field(index);
        if (int.TryParse(field, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value)) return value;
        if (long.TryParse(field, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _) || IsDigits(field))
            throw Error($"{column} {Shown(field)} is out of range (ids and counts are at most {int.MaxValue:N0}).");
        throw Error($"{column} '{Shown(field)}' is not a whole number.");
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
    public static string Shown(ReadOnlySpan<char> value) =>
        value.Length <= MaxShownValue ? value.ToString() : string.Concat(value[..MaxShownValue], "…");

    /// <inheritdoc />
    public void Dispose() => _reader.Dispose();

    /// <summary>The 1-based line a row starts on. Sep numbers the file's first row [2, 2) without a header row; every other row [from, to).</summary>
    static int FirstLine(SepReader.Row row) => row.LineNumberFrom == row.LineNumberToExcl ? row.LineNumberFrom - 1 : row.LineNumberFrom;

    static bool IsDigits(ReadOnlySpan<char> field)
    {
        var digits = field.StartsWith("-") || field.StartsWith("+") ? field[1..] : field;
        return !digits.IsEmpty && !digits.ContainsAnyExcept("0123456789");
    }
}
