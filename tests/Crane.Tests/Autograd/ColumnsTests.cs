using Crane.Autograd;

namespace Crane.Tests.Autograd;

public class ColumnsTests
{
    [Fact]
    public void Concat_places_inputs_side_by_side()
    {
        var a = GradCheck.Random(3, 2, 71);
        var b = GradCheck.Random(3, 1, 72);
        var c = GradCheck.Random(3, 3, 73);
        var y = Ops.ConcatColumns(Variable.Constant(a), Variable.Constant(b), Variable.Constant(c)).Value;
        Reference.AssertClose(y, 3, 6, (r, j) => j < 2 ? a[r, j] : j < 3 ? b[r, 0] : c[r, j - 3], 0);
        GradCheck.Check(v => Ops.ConcatColumns(v[0], v[1], v[2]), a, b, c);
    }

    [Fact]
    public void Split_returns_column_blocks_and_unused_blocks_get_zero_gradient()
    {
        var x = GradCheck.Random(3, 6, 74);
        var parts = Ops.SplitColumns(Variable.Constant(x), 2, 1, 3);
        Assert.Equal([2, 1, 3], parts.Select(p => p.Cols));
        Reference.AssertClose(parts[2].Value, 3, 3, (r, j) => x[r, j + 3], 0);
        // Reordered and with the middle block dropped: the gradient must land in the right columns.
        GradCheck.Check(v => { var p = Ops.SplitColumns(v[0], 2, 1, 3); return Ops.ConcatColumns(p[2], p[0]); }, x);
    }

    [Fact]
    public void Mismatches_are_rejected_with_shapes()
    {
        Reference.AssertRejected<ArgumentException>(() => Ops.ConcatColumns(Variable.Constant(new(3, 2)), Variable.Constant(new(4, 2))), "ConcatColumns", "4×2");
        Reference.AssertRejected<ArgumentException>(() => Ops.SplitColumns(Variable.Constant(new(3, 6)), 2, 2), "SplitColumns", "3×6");
    }
}
