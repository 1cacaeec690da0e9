using Crane.Autograd;

namespace Crane.Tests.Autograd;

public class AddTests
{
    [Fact]
    public void Same_shape_gradients_match_finite_differences() =>
        GradCheck.Check(v => Ops.Add(v[0], v[1]), GradCheck.Random(3, 4, 1), GradCheck.Random(3, 4, 2));

    [Fact]
    public void Row_broadcast_gradient_is_the_column_sum() =>
        GradCheck.Check(v => Ops.Add(v[0], v[1]), GradCheck.Random(5, 3, 3), GradCheck.Random(1, 3, 4));

    [Theory]
    [MemberData(nameof(Reference.BroadcastShapes), MemberType = typeof(Reference))]
    public void Add_and_sub_match_references_for_every_broadcast(int bRows, int bCols)
    {
        var a = GradCheck.Random(4, 3, 5);
        var b = GradCheck.Random(bRows, bCols, 6);
        double B(int r, int c) => b[bRows == 1 ? 0 : r, bCols == 1 ? 0 : c];
        Reference.AssertClose(Ops.Add(Variable.Constant(a), Variable.Constant(b)).Value, 4, 3, (r, c) => a[r, c] + B(r, c));
        Reference.AssertClose(Ops.Sub(Variable.Constant(a), Variable.Constant(b)).Value, 4, 3, (r, c) => a[r, c] - B(r, c));
        GradCheck.Check(v => Ops.Add(v[0], v[1]), a, b);
        GradCheck.Check(v => Ops.Sub(v[0], v[1]), a, b);
    }

    [Fact]
    public void Mismatched_shapes_are_rejected()
    {
        var a = Variable.Parameter(GradCheck.Random(2, 3, 1));
        var b = Variable.Parameter(GradCheck.Random(3, 3, 1));
        Reference.AssertRejected<ArgumentException>(() => Ops.Add(a, b), "Add", "2×3", "3×3");
        Reference.AssertRejected<ArgumentException>(() => Ops.Sub(a, b), "Sub", "2×3", "3×3");
    }
}
