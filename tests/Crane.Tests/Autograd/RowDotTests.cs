using Crane.Autograd;

namespace Crane.Tests.Autograd;

public class RowDotTests
{
    [Fact]
    public void Row_dot_products_and_gradients()
    {
        var a = GradCheck.Random(4, 3, 91);
        var b = GradCheck.Random(4, 3, 92);
        Reference.AssertClose(Ops.RowDot(Variable.Constant(a), Variable.Constant(b)).Value, 4, 1,
            (r, _) => Enumerable.Range(0, 3).Sum(c => (double)a[r, c] * b[r, c]));
        GradCheck.Check(v => Ops.RowDot(v[0], v[1]), a, b);
        GradCheck.Check(v => Ops.RowDot(v[0], v[0]), a);
    }
}
