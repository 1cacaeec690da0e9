using Crane.Autograd;

namespace Crane.Tests.Autograd;

public class RowsTests
{
    [Fact]
    public void Concat_stacks_inputs_and_slice_takes_a_block()
    {
        var a = GradCheck.Random(2, 3, 1);
        var b = GradCheck.Random(4, 3, 2);
        var y = Ops.ConcatRows(Variable.Constant(a), Variable.Constant(b)).Value;
        Reference.AssertClose(y, 6, 3, (r, c) => r < 2 ? a[r, c] : b[r - 2, c], 0);
        Reference.AssertClose(Ops.SliceRows(Variable.Constant(b), 1, 2).Value, 2, 3, (r, c) => b[r + 1, c], 0);
    }

    [Fact]
    public void Gradients_match_finite_differences()
    {
        GradCheck.Check(v => Ops.ConcatRows(v[0], v[1]), GradCheck.Random(2, 3, 3), GradCheck.Random(3, 3, 4));
        GradCheck.Check(v => Ops.SliceRows(v[0], 1, 3), GradCheck.Random(5, 2, 5));
    }

    [Fact]
    public void Mismatches_are_rejected()
    {
        Reference.AssertRejected<ArgumentException>(() => Ops.ConcatRows(Variable.Constant(new(2, 3)), Variable.Constant(new(2, 2))), "2×3", "2×2");
        Reference.AssertRejected<ArgumentOutOfRangeException>(() => Ops.SliceRows(Variable.Constant(new(2, 3)), 1, 2), "[1, 3)");
    }
}
