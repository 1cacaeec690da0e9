using Crane.Autograd;

namespace Crane.Tests.Autograd;

public class MulTests
{
    [Theory]
    [MemberData(nameof(Reference.BroadcastShapes), MemberType = typeof(Reference))]
    public void Mul_matches_reference_and_finite_differences_for_every_broadcast(int bRows, int bCols)
    {
        var a = GradCheck.Random(4, 3, 7);
        var b = GradCheck.Random(bRows, bCols, 8);
        var y = Ops.Mul(Variable.Constant(a), Variable.Constant(b)).Value;
        Reference.AssertClose(y, 4, 3, (r, c) => (double)a[r, c] * b[bRows == 1 ? 0 : r, bCols == 1 ? 0 : c]);
        GradCheck.Check(v => Ops.Mul(v[0], v[1]), a, b);
    }

    [Fact]
    public void Scale_multiplies_by_the_constant()
    {
        var x = GradCheck.Random(3, 2, 9);
        Reference.AssertClose(Ops.Scale(Variable.Constant(x), -2.5f).Value, 3, 2, (r, c) => -2.5 * x[r, c]);
        GradCheck.Check(v => Ops.Scale(v[0], -2.5f), x);
    }

    [Fact]
    public void Mul_names_the_op_and_shapes_on_mismatch()
    {
        Reference.AssertRejected<ArgumentException>(() =>
            Ops.Mul(Variable.Constant(new(4, 3)), Variable.Constant(new(2, 3))), "Mul", "2×3", "4×3");
    }
}
