using Crane.Autograd;
using Crane.Numerics;

namespace Crane.Tests.Autograd;

public class SegmentTests
{
    /// <summary>A 4×5 pattern with rows of 3, 1, 0 and 2 entries.</summary>
    static CsrMatrix Pattern() => CsrMatrix.FromCoo(4, 5, [0, 0, 0, 1, 3, 3], [0, 2, 4, 3, 1, 2], new float[6]);

    [Fact]
    public void Segment_softmax_normalises_each_row_of_entries()
    {
        var a = Pattern();
        var x = GradCheck.Random(1, a.NonZeros, 11);
        var y = Ops.SegmentSoftmax(a, Variable.Constant(x)).Value;
        for (int r = 0; r < a.Rows; r++)
        {
            double sum = 0;
            for (int p = a.RowPtr[r]; p < a.RowPtr[r + 1]; p++) sum += Math.Exp(x.Data[p]);
            for (int p = a.RowPtr[r]; p < a.RowPtr[r + 1]; p++) Assert.Equal(Math.Exp(x.Data[p]) / sum, y.Data[p], 1e-6);
        }
        GradCheck.Check(v => Ops.SegmentSoftmax(a, v[0]), x);
    }

    [Fact]
    public void Segment_max_takes_the_column_wise_maximum_over_each_rows_entries()
    {
        var a = Pattern();
        var x = GradCheck.Random(5, 3, 12);
        var y = Ops.SegmentMax(a, Variable.Constant(x)).Value;
        Reference.AssertClose(y, 4, 3, (r, c) =>
        {
            var cols = a.RowIndices(r).ToArray();
            return cols.Length == 0 ? 0 : cols.Max(j => x[j, c]);
        }, 0);
        GradCheck.Check(v => Ops.SegmentMax(a, v[0]), x);
    }

    [Fact]
    public void Shapes_are_checked()
    {
        var a = Pattern();
        Reference.AssertRejected<ArgumentException>(() => Ops.SegmentSoftmax(a, Variable.Constant(new(1, 5))), "1×6");
        Reference.AssertRejected<ArgumentException>(() => Ops.SegmentMax(a, Variable.Constant(new(4, 2))), "4×2");
    }
}
