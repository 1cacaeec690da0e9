using Crane.Numerics;

namespace Crane.Tests.Numerics;

public class CsrMatrixTests
{
    static void AssertMatchesDense(double[,] dense, CsrMatrix a, bool storedPattern = true)
    {
        Assert.Equal(dense.GetLength(0), a.Rows);
        Assert.Equal(dense.GetLength(1), a.Cols);
        var seen = new bool[a.Rows, a.Cols];
        for (int r = 0; r < a.Rows; r++)
        {
            var cols = a.RowIndices(r);
            for (int j = 1; j < cols.Length; j++) Assert.True(cols[j - 1] < cols[j], $"Row {r} columns not sorted and unique.");
            var vals = a.RowValues(r);
            for (int j = 0; j < cols.Length; j++)
            {
                seen[r, cols[j]] = true;
                Assert.Equal(dense[r, cols[j]], vals[j], 5);
            }
        }
        if (storedPattern)
            for (int r = 0; r < a.Rows; r++)
                for (int c = 0; c < a.Cols; c++)
                    if (!seen[r, c]) Assert.Equal(0.0, dense[r, c]);
    }

    [Fact]
    public void FromCoo_sorts_and_sums_duplicates()
    {
        var d = SparseTestData.Random(40, 9, 300, seed: 1); // 9 columns, 300 entries: many duplicates
        var a = d.ToCsr();
        Assert.True(a.NonZeros < 300);
        AssertMatchesDense(d.Dense(), a);
        Assert.Equal(0, a.RowPtr[5] - a.RowPtr[4]); // row 4 was left empty
    }

    [Fact]
    public void Duplicates_are_summed_in_input_order()
    {
        // (1e8 + 1) − 1e8 is 0 in float; any other order gives 1 or 2.
        var a = CsrMatrix.FromCoo(2, 3, [1, 0, 1, 1], [2, 1, 2, 2], [1e8f, 5f, 1f, -1e8f]);
        Assert.Equal([0, 1, 2], a.RowPtr);
        Assert.Equal([1, 2], a.ColIdx);
        Assert.Equal((1e8f + 1f) + -1e8f, a.Values[1]);
        Assert.Equal(5f, a.Values[0]);
    }

    [Theory]
    [InlineData(3, 0, "Row index 3 at position 2")]
    [InlineData(-1, 0, "Row index -1 at position 2")]
    [InlineData(0, 4, "Column index 4 at position 2")]
    [InlineData(0, -7, "Column index -7 at position 2")]
    public void FromCoo_names_a_bad_index_and_its_position(int badRow, int badCol, string expected)
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            CsrMatrix.FromCoo(3, 4, [0, 1, badRow], [0, 1, badCol], [1f, 1f, 1f]));
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void FromCoo_rejects_arrays_of_different_lengths() =>
        Assert.Throws<ArgumentException>(() => CsrMatrix.FromCoo(2, 2, [0, 1], [0], [1f, 2f]));

    [Fact]
    public void Empty_matrices_are_fine()
    {
        var a = CsrMatrix.FromCoo(3, 2, [], [], []);
        Assert.Equal([0, 0, 0, 0], a.RowPtr);
        Assert.Equal(0, a.Transpose().NonZeros);
        var none = CsrMatrix.FromCoo(0, 0, [], [], []);
        Assert.Equal(0, none.Transpose().Rows);
    }

    [Fact]
    public void Transpose_matches_the_dense_transpose_and_round_trips()
    {
        var d = SparseTestData.Random(23, 31, 200, seed: 2);
        var a = d.ToCsr();
        var t = a.Transpose();
        var dense = d.Dense();
        var denseT = new double[31, 23];
        for (int r = 0; r < 23; r++) for (int c = 0; c < 31; c++) denseT[c, r] = dense[r, c];
        AssertMatchesDense(denseT, t);
        var back = t.Transpose();
        Assert.Equal(a.RowPtr, back.RowPtr);
        Assert.Equal(a.ColIdx, back.ColIdx);
        Assert.Equal(a.Values, back.Values);
    }

    [Fact]
    public void Transpose_sees_values_changed_after_it_was_first_built()
    {
        var a = SparseTestData.Random(10, 12, 50, seed: 3).ToCsr();
        _ = a.Transpose();
        a.Values[0] = 42f;
        var b = a.WithValues(a.Values.Select(v => v * 2).ToArray());
        int r0 = Array.FindIndex(a.RowPtr, p => p > 0) - 1, c0 = a.ColIdx[0];
        Assert.Equal(42f, Value(a.Transpose(), c0, r0));
        Assert.Equal(84f, Value(b.Transpose(), c0, r0));
    }

    static float Value(CsrMatrix m, int r, int c) => m.RowValues(r)[m.RowIndices(r).IndexOf(c)];

    [Fact]
    public void Constructor_rejects_unsorted_or_out_of_range_columns()
    {
        Assert.Contains("not sorted", Assert.Throws<ArgumentException>(() => new CsrMatrix(1, 3, [0, 2], [2, 1], [1f, 1f])).Message);
        Assert.Contains("Column index 3", Assert.Throws<ArgumentException>(() => new CsrMatrix(1, 3, [0, 1], [3], [1f])).Message);
        Assert.Contains("decreases", Assert.Throws<ArgumentException>(() => new CsrMatrix(2, 3, [0, 2, 1], [0], [1f])).Message);
        Assert.Throws<ArgumentException>(() => new CsrMatrix(1, 3, [0, 1], [0], [1f]).WithValues([1f, 2f]));
    }

    [Fact]
    public void RowSums_add_each_rows_values()
    {
        var d = SparseTestData.Random(15, 6, 60, seed: 4);
        var sums = d.ToCsr().RowSums();
        var dense = d.Dense();
        for (int r = 0; r < 15; r++)
            Assert.Equal(Enumerable.Range(0, 6).Sum(c => dense[r, c]), sums[r], 5);
    }
}
