namespace Crane.Numerics;

/// <summary>
/// A sparse float32 matrix in compressed sparse row form. Column indices are sorted within each
/// row and unique. Graphs (user–item adjacency, item–item kNN) live in this form: never N×N dense.
/// The structure arrays (<see cref="RowPtr"/>, <see cref="ColIdx"/>) must not be changed after
/// construction; <see cref="Values"/> may be.
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

    // The transpose's structure, built on first use and shared with WithValues copies (same structure).
    TransposeMap? _transpose;

    /// <summary>
    /// Wraps CSR arrays (no copy) after checking them: RowPtr non-decreasing from 0 to NonZeros,
    /// column indices in range, sorted and unique within each row.
    /// </summary>
    public CsrMatrix(int rows, int cols, int[] rowPtr, int[] colIdx, float[] values)
        : this(rows, cols, rowPtr, colIdx, values, null)
    {
        if (rowPtr[0] != 0 || rowPtr[rows] != colIdx.Length) throw new ArgumentException("RowPtr must start at 0 and end at the number of non-zeros.");
        for (int r = 0; r < rows; r++)
            if (rowPtr[r + 1] < rowPtr[r]) throw new ArgumentException($"RowPtr decreases at row {r} ({rowPtr[r]} then {rowPtr[r + 1]}).");
        for (int r = 0; r < rows; r++)
        {
            int start = rowPtr[r], end = rowPtr[r + 1];
            for (int p = start; p < end; p++)
            {
                int c = colIdx[p];
                if ((uint)c >= (uint)cols) throw new ArgumentException($"Column index {c} at position {p} (row {r}) is outside [0, {cols}).");
                if (p > start && c <= colIdx[p - 1]) throw new ArgumentException($"Column indices of row {r} are not sorted and unique at position {p} ({colIdx[p - 1]} then {c}).");
            }
        }
    }

    // Trusted constructor: the structure is already known to be valid.
    CsrMatrix(int rows, int cols, int[] rowPtr, int[] colIdx, float[] values, TransposeMap? transpose)
    {
        if (rows < 0 || cols < 0) throw new ArgumentOutOfRangeException(nameof(rows), $"Shape {rows}×{cols} has a negative dimension.");
        if (rowPtr.Length != rows + 1) throw new ArgumentException($"RowPtr has {rowPtr.Length} entries, expected {rows + 1}.");
        if (colIdx.Length != values.Length) throw new ArgumentException($"ColIdx ({colIdx.Length}) and Values ({values.Length}) differ in length.");
        Rows = rows; Cols = cols; RowPtr = rowPtr; ColIdx = colIdx; Values = values;
        _transpose = transpose;
    }

    /// <summary>
    /// Builds a CSR matrix from coordinate triples; duplicate (row, col) pairs are summed in input
    /// order. O(nnz + rows + cols): a stable counting sort by column, then one by row.
    /// </summary>
    /// <exception cref="ArgumentException">Lengths differ, or an index is out of range (the message names it and its position).</exception>
    public static CsrMatrix FromCoo(int rows, int cols, ReadOnlySpan<int> rowIdx, ReadOnlySpan<int> colIdx, ReadOnlySpan<float> values)
    {
        if (rows < 0 || cols < 0) throw new ArgumentOutOfRangeException(nameof(rows), $"Shape {rows}×{cols} has a negative dimension.");
        if (rowIdx.Length != colIdx.Length || rowIdx.Length != values.Length)
            throw new ArgumentException($"COO arrays differ in length: rows {rowIdx.Length}, cols {colIdx.Length}, values {values.Length}.");
        int n = rowIdx.Length;
        for (int i = 0; i < n; i++)
        {
            if ((uint)rowIdx[i] >= (uint)rows) throw new ArgumentException($"Row index {rowIdx[i]} at position {i} is outside [0, {rows}).", nameof(rowIdx));
            if ((uint)colIdx[i] >= (uint)cols) throw new ArgumentException($"Column index {colIdx[i]} at position {i} is outside [0, {cols}).", nameof(colIdx));
        }

        // Two stable passes (least significant key first) leave entries ordered by (row, col),
        // with duplicates adjacent and in input order, so their sum is reproducible.
        var byCol = new int[n];
        StableCountingSort(colIdx, cols, Identity(n), byCol);
        var order = new int[n];
        var ptr = StableCountingSort(rowIdx, rows, byCol, order);

        var ci = new int[n];
        var v = new float[n];
        int m = 0;
        for (int r = 0; r < rows; r++)
        {
            int rowStart = m;
            for (int p = ptr[r]; p < ptr[r + 1]; p++)
            {
                int i = order[p];
                if (m > rowStart && ci[m - 1] == colIdx[i]) v[m - 1] += values[i];
                else { ci[m] = colIdx[i]; v[m++] = values[i]; }
            }
            ptr[r] = rowStart;
        }
        ptr[rows] = m;
        if (m < n) { Array.Resize(ref ci, m); Array.Resize(ref v, m); }
        return new CsrMatrix(rows, cols, ptr, ci, v, null);
    }

    /// <summary>The transpose, as a new CSR matrix (O(nnz + cols), by counting sort).</summary>
    public CsrMatrix Transpose()
    {
        var t = TransposeStructure;
        var v = new float[NonZeros];
        for (int q = 0; q < v.Length; q++) v[q] = Values[t.Source[q]];
        return new CsrMatrix(Cols, Rows, (int[])t.RowPtr.Clone(), (int[])t.ColIdx.Clone(), v, null);
    }

    /// <summary>The same structure with other values (e.g. learned edge weights).</summary>
    public CsrMatrix WithValues(float[] values)
    {
        if (values.Length != NonZeros) throw new ArgumentException($"Expected {NonZeros} values, got {values.Length}.", nameof(values));
        return new(Rows, Cols, RowPtr, ColIdx, values, _transpose);
    }

    /// <summary>Sum of the stored values in each row (length Rows).</summary>
    public float[] RowSums()
    {
        var s = new float[Rows];
        for (int r = 0; r < Rows; r++) s[r] = System.Numerics.Tensors.TensorPrimitives.Sum(Values.AsSpan(RowPtr[r], RowPtr[r + 1] - RowPtr[r]));
        return s;
    }

    /// <summary>Row r's column indices.</summary>
    public ReadOnlySpan<int> RowIndices(int r) => ColIdx.AsSpan(RowPtr[r], RowPtr[r + 1] - RowPtr[r]);

    /// <summary>Row r's stored values (writable).</summary>
    public Span<float> RowValues(int r) => Values.AsSpan(RowPtr[r], RowPtr[r + 1] - RowPtr[r]);

    /// <summary>
    /// The transpose's structure with, for each of its entries, the position of the same entry
    /// in this matrix: Aᵀ's values are Values[Source[q]], so the map stays valid when values change.
    /// Built once (thread-safe) and cached.
    /// </summary>
    internal TransposeMap TransposeStructure
    {
        get
        {
            if (_transpose is { } t) return t;
            var rowOf = new int[NonZeros];
            for (int r = 0; r < Rows; r++) Array.Fill(rowOf, r, RowPtr[r], RowPtr[r + 1] - RowPtr[r]);
            var source = new int[NonZeros];
            // Entries are visited in row order, so each transposed row comes out with sorted columns.
            var ptr = StableCountingSort(ColIdx, Cols, Identity(NonZeros), source);
            var ci = new int[NonZeros];
            for (int q = 0; q < ci.Length; q++) ci[q] = rowOf[source[q]];
            Interlocked.CompareExchange(ref _transpose, new TransposeMap(ptr, ci, source), null);
            return _transpose;
        }
    }

    /// <summary>
    /// Writes the items of <paramref name="items"/> into <paramref name="sorted"/> stably ordered by
    /// keys[item]; returns the bucket starts (length buckets + 1).
    /// </summary>
    static int[] StableCountingSort(ReadOnlySpan<int> keys, int buckets, ReadOnlySpan<int> items, Span<int> sorted)
    {
        var ptr = new int[buckets + 1];
        foreach (int k in keys) ptr[k + 1]++;
        for (int b = 0; b < buckets; b++) ptr[b + 1] += ptr[b];
        var next = ptr.AsSpan(0, buckets).ToArray();
        foreach (int i in items) sorted[next[keys[i]]++] = i;
        return ptr;
    }

    static int[] Identity(int n)
    {
        var a = new int[n];
        for (int i = 0; i < n; i++) a[i] = i;
        return a;
    }
}

/// <summary>Structure of Aᵀ in CSR form plus, per entry, its position in A (see <see cref="CsrMatrix.TransposeStructure"/>).</summary>
internal sealed record TransposeMap(int[] RowPtr, int[] ColIdx, int[] Source);
