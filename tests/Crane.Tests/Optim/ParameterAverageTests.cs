using Crane.Autograd;
using Crane.Numerics;
using Crane.Optim;

namespace Crane.Tests.Optim;

public class ParameterAverageTests
{
    [Fact]
    public void The_average_follows_the_warmed_up_exponential_recursion_and_swapping_twice_restores_the_parameters()
    {
        var p = Variable.Parameter(new Tensor(1, 2, [1f, -2f]), "p");
        var average = new ParameterAverage([p], 0.5f);
        double[] expected = [1, -2];
        float[][] steps = [[3f, 0f], [5f, 4f], [-1f, 1f]];
        foreach (var (values, t) in steps.Select((v, k) => (v, k + 1)))
        {
            values.CopyTo(p.Value.Data, 0);
            double beta = Math.Min(0.5, (1.0 + t) / (10.0 + t));   // 2/11, 3/12, then capped at 0.5? (4/13 < 0.5)
            Assert.Equal(beta, average.NextDecay, 6);
            for (int k = 0; k < 2; k++) expected[k] = beta * expected[k] + (1 - beta) * values[k];
            average.Update();
        }
        average.Swap();
        Assert.Equal(expected[0], p.Value.Data[0], 5);
        Assert.Equal(expected[1], p.Value.Data[1], 5);
        average.Swap();
        Assert.Equal([-1f, 1f], p.Value.Data);
    }

    [Fact]
    public void After_many_steps_the_decay_is_capped_at_beta()
    {
        var p = Variable.Parameter(new Tensor(1, 1), "p");
        var average = new ParameterAverage([p], 0.9f);
        for (int t = 0; t < 200; t++) average.Update();
        Assert.Equal(0.9f, average.NextDecay);
    }

    [Fact]
    public void A_decay_outside_zero_one_is_refused()
    {
        var p = Variable.Parameter(new Tensor(1, 1), "p");
        Assert.Throws<ArgumentOutOfRangeException>(() => new ParameterAverage([p], 1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ParameterAverage([p], 0f));
    }
}
