using Crane.Autograd;

namespace Crane.Tests.Autograd;

public class MatMulTests
{
    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void Product_and_gradients_for_every_transpose(bool transA, bool transB)
    {
        // op(a) is 3×4 and op(b) is 4×2 in every case.
        var a = transA ? GradCheck.Random(4, 3, 31) : GradCheck.Random(3, 4, 31);
        var b = transB ? GradCheck.Random(2, 4, 32) : GradCheck.Random(4, 2, 32);
        double A(int i, int p) => transA ? a[p, i] : a[i, p];
        double B(int p, int j) => transB ? b[j, p] : b[p, j];
        var y = Ops.MatMul(Variable.Constant(a), Variable.Constant(b), transA, transB).Value;
        Reference.AssertClose(y, 3, 2, (i, j) => Enumerable.Range(0, 4).Sum(p => A(i, p) * B(p, j)));
        GradCheck.Check(v => Ops.MatMul(v[0], v[1], transA, transB), a, b);
    }

    [Fact]
    public void Gram_matrix_of_one_variable_accumulates_both_gradients() =>
        GradCheck.Check(v => Ops.MatMul(v[0], v[0], transB: true), GradCheck.Random(3, 4, 33));

    [Fact]
    public void Inner_size_mismatch_names_the_shapes()
    {
        Reference.AssertRejected<ArgumentException>(() =>
            Ops.MatMul(Variable.Constant(new(3, 4)), Variable.Constant(new(5, 2))), "MatMul", "3×4", "5×2");
    }
}
