namespace Crane.Data;

/// <summary>
/// Bad input data. The message names the file, the line (1-based, when there is one) and the
/// offending value, so the user can fix it; the CLI turns it into exit code 2.
/// </summary>
public sealed class DataException : Exception
{
    /// <summary>The file at fault.</summary>
    public string File { get; }

    /// <summary>1-based line number, or null when the problem is not on one line.</summary>
    public int? Line { get; }

    /// <summary>A problem in <paramref name="file"/> (at <paramref name="line"/> when given).</summary>
    public DataException(string file, int? line, string problem)
        : base(line is null ? $"{file}: {problem}" : $"{file}, line {line}: {problem}")
    {
        File = file;
        Line = line;
    }
}
