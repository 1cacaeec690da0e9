using Crane.Numerics;
using Crane.Optim;

namespace Crane.Tests.Optim;

public class InitTests
{
    [Fact]
    public void Xavier_uniform_respects_its_bound_and_variance()
    {
        var t = Init.XavierUniform(new Tensor(300, 200), new Rng(3));
        float bound = MathF.Sqrt(6f / 500f);
        Assert.All(t.Data, x => Assert.InRange(x, -bound, bound));
        // Var of U(−b, b) is b²/3 = 2/(fan_in + fan_out) = 0.004; 60 000 samples give ~0.6 % error.
        double variance = t.Data.Average(x => (double)x * x);
        Assert.InRange(variance, 0.004 * 0.97, 0.004 * 1.03);
    }

    [Fact]
    public void Xavier_normal_has_the_right_spread_and_is_seeded()
    {
        var t = Init.XavierNormal(new Tensor(300, 200), new Rng(4));
        double variance = t.Data.Average(x => (double)x * x);
        Assert.InRange(variance, 0.004 * 0.97, 0.004 * 1.03);
        Assert.Equal(t.Data, Init.XavierNormal(new Tensor(300, 200), new Rng(4)).Data);
    }
}
