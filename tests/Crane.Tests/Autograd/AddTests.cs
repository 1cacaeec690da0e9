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

    [Fact]
    public void Mismatched_shapes_are_rejected()
    {
        var a = Variable.Parameter(GradCheck.Random(2, 3, 1));
        var b = Variable.Parameter(GradCheck.Random(3, 3, 1));
        var ex = Assert.Throws<ArgumentException>(() => Ops.Add(a, b));
        Assert.Contains("2×3", ex.Message);
    }
}
