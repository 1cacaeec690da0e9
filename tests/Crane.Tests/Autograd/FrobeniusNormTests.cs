using Crane.Autograd;

namespace Crane.Tests.Autograd;

public class FrobeniusNormTests
{
    [Fact]
    public void Norm_is_the_unsquared_root_of_the_sum_of_squares()
    {
        var x = GradCheck.Random(4, 3, 61);
        double sumSquares = x.Data.Sum(v => (double)v * v);
        Reference.AssertClose(Ops.FrobeniusNorm(Variable.Constant(x)).Value, 1, 1, (_, _) => Math.Sqrt(sumSquares));
        GradCheck.Check(v => Ops.FrobeniusNorm(v[0]), x);
    }

    [Fact]
    public void Gradient_at_zero_is_zero_not_nan()
    {
        var x = Variable.Parameter(new Tensor(2, 3));
        var norm = Ops.FrobeniusNorm(x);
        norm.Backward();
        Assert.Equal(0f, norm.Value[0, 0]);
        Assert.All(x.Grad?.Data ?? [], g => Assert.Equal(0f, g));
    }
}
