namespace Crane.Numerics;

/// <summary>
/// A sparse float32 matrix in compressed sparse row form. Column indices are sorted within each
/// row and unique. Graphs (user–item adjacency, item–item kNN) live in this form: never N×N dense.
/// </summary>
public sealed class CsrMatrix
{
    /// <summary>Number of rows.</summary>
    public int Rows { get; }

    /// <summary>Number of columns.</summary>
    public int Cols { get; }

    /// <summary>Row r's entries are at [RowPtr[r], RowPtr[r+1]); length Rows + 1.</summary>
    public int[] RowPtr { get; }

    /// <summary>Column of each stored entry; length NonZeros.</summary>
    public int[] ColIdx { get; }

    /// <summary>Value of each stored entry; length NonZeros.</summary>
    public float[] Values { get; }

    /// <summary>Stored entries.</summary>
    public int NonZeros => ColIdx.Length;

    /// <summary>Wraps CSR arrays (no copy) after checking their consistency.</summary>
    public CsrMatrix(int rows, int cols, int[] rowPtr, int[] colIdx, float[] values)
    {
        if (rows < 0 || cols < 0) throw new ArgumentOutOfRangeException(nameof(rows), $"Shape {rows}×{cols} has a negative dimension.");
        if (rowPtr.Length != rows + 1) throw new ArgumentException($"RowPtr has {rowPtr.Length} entries, expected {rows + 1}.");
        if (colIdx.Length != values.Length) throw new ArgumentException($"ColIdx ({colIdx.Length}) and Values ({values.Length}) differ in length.");
        if (rowPtr[0] != 0 || rowPtr[rows] != colIdx.Length) throw new ArgumentException("RowPtr must start at 0 and end at the number of non-zeros.");
        Rows = rows; Cols = cols; RowPtr = rowPtr; ColIdx = colIdx; Values = values;
    }

    /// <summary>
    /// Builds a CSR matrix from coordinate triples; duplicate (row, col) pairs are summed.
    /// </summary>
    public static CsrMatrix FromCoo(int rows, int cols, ReadOnlySpan<int> rowIdx, ReadOnlySpan<int> colIdx, ReadOnlySpan<float> values)
    {
        // Placeholder: simple sort-based build; replaced by the counting-sort kernel.
        var entries = new SortedDictionary<(int, int), float>();
        for (int i = 0; i < rowIdx.Length; i++)
        {
            var key = (rowIdx[i], colIdx[i]);
            entries[key] = entries.GetValueOrDefault(key) + values[i];
        }
        var ptr = new int[rows + 1];
        var ci = new int[entries.Count];
        var v = new float[entries.Count];
        int n = 0;
        foreach (var ((r, c), x) in entries) { ptr[r + 1]++; ci[n] = c; v[n++] = x; }
        for (int r = 0; r < rows; r++) ptr[r + 1] += ptr[r];
        return new CsrMatrix(rows, cols, ptr, ci, v);
    }

    /// <summary>The transpose, as a new CSR matrix.</summary>
    public CsrMatrix Transpose()
    {
        var r = new int[NonZeros];
        for (int i = 0; i < Rows; i++) for (int p = RowPtr[i]; p < RowPtr[i + 1]; p++) r[p] = i;
        return FromCoo(Cols, Rows, ColIdx, r, Values);
    }

    /// <summary>The same structure with other values (e.g. learned edge weights).</summary>
    public CsrMatrix WithValues(float[] values) => new(Rows, Cols, RowPtr, ColIdx, values);
}
