using Crane.Autograd;
using Crane.Numerics;
using Crane.Optim;

namespace Crane.Tests.Optim;

public class AdamTests
{
    /// <summary>Adam written out in double precision from the paper, as the reference.</summary>
    static double[] ReferenceAdam(double[] p, Func<double[], double[]> gradient, int steps, double lr, double wd, double l2 = 0)
    {
        const double b1 = 0.9, b2 = 0.999, eps = 1e-8;
        p = (double[])p.Clone();
        var m = new double[p.Length];
        var v = new double[p.Length];
        for (int t = 1; t <= steps; t++)
        {
            var g = gradient(p);
            for (int i = 0; i < p.Length; i++)
            {
                g[i] += l2 * p[i]; // torch.optim.Adam's weight_decay
                p[i] *= 1 - lr * wd;
                m[i] = b1 * m[i] + (1 - b1) * g[i];
                v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
                double mHat = m[i] / (1 - Math.Pow(b1, t)), vHat = v[i] / (1 - Math.Pow(b2, t));
                p[i] -= lr * mHat / (Math.Sqrt(vHat) + eps);
            }
        }
        return p;
    }

    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(0.1, 0.0)]
    [InlineData(0.0, 0.3)] // coupled L2: torch.optim.Adam's weight_decay
    public void Matches_the_reference_on_a_quadratic(double weightDecay, double l2)
    {
        // Loss ½Σ cᵢ(pᵢ − 1)², gradient cᵢ(pᵢ − 1), with very different curvatures per coordinate.
        double[] curvature = [0.01, 1, 100, 3];
        double[] start = [2, -1, 0.5, 0];
        double[] Grad(double[] p) => p.Select((x, i) => curvature[i] * (x - 1)).ToArray();

        var param = Variable.Parameter(new Tensor(1, 4, start.Select(x => (float)x).ToArray()));
        var adam = new Adam([param], new AdamOptions(LearningRate: 0.05f, WeightDecay: (float)weightDecay, L2Penalty: (float)l2));
        for (int step = 0; step < 50; step++)
        {
            adam.ZeroGrad();
            var g = Grad(param.Value.Data.Select(x => (double)x).ToArray());
            var grad = param.GradOrZerosForTest();
            for (int i = 0; i < 4; i++) grad.Data[i] = (float)g[i];
            adam.Step();
        }
        var expected = ReferenceAdam(start, Grad, 50, 0.05, weightDecay, l2);
        for (int i = 0; i < 4; i++) Assert.Equal(expected[i], param.Value.Data[i], 1e-4);
        if (l2 != 0) Assert.True(Math.Abs(expected[0] - ReferenceAdam(start, Grad, 50, 0.05, 0)[0]) > 1e-2, "the penalty must change the result");
    }

    [Fact]
    public void Coupled_l2_moves_a_parameter_without_gradient_towards_zero()
    {
        // g = λ·p alone: the first bias-corrected step is lr·sign(p).
        var param = Variable.Parameter(new Tensor(1, 2, [1f, -2f]));
        new Adam([param], new AdamOptions(LearningRate: 0.1f, L2Penalty: 0.5f)).Step();
        Assert.Equal([0.9f, -1.9f], param.Value.Data.Select(x => MathF.Round(x, 5)));
    }

    [Fact]
    public void First_step_moves_each_coordinate_by_the_learning_rate()
    {
        // Bias correction makes the first update lr·g/|g| whatever the gradient's scale.
        var param = Variable.Parameter(new Tensor(1, 3));
        float[] g = [1e-3f, -5f, 300f];
        g.CopyTo(param.GradOrZerosForTest().Data, 0);
        new Adam([param], new AdamOptions(LearningRate: 0.01f)).Step();
        Assert.Equal([-0.01f, 0.01f, -0.01f], param.Value.Data.Select(x => MathF.Round(x, 6)));
    }

    [Fact]
    public void Decoupled_weight_decay_shrinks_a_parameter_without_gradient()
    {
        var param = Variable.Parameter(Tensor.Filled(2, 2, 1f));
        var adam = new Adam([param], new AdamOptions(LearningRate: 0.1f, WeightDecay: 0.5f));
        adam.Step();
        adam.Step();
        Assert.All(param.Value.Data, x => Assert.Equal(0.95f * 0.95f, x, 6));
    }

    [Fact]
    public void Constants_are_rejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Adam([Variable.Constant(new Tensor(1, 1))]));
        Assert.Contains("not a trainable parameter", ex.Message);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.1)]
    public void A_parameters_learning_rate_scale_equals_training_it_at_the_scaled_rate(double weightDecay)
    {
        // Two parameters in one optimiser, the second at 0.2× the rate: each matches the reference at its own rate.
        double[] curvature = [0.01, 1, 100, 3];
        double[] start = [2, -1, 0.5, 0];
        double[] Grad(double[] p) => p.Select((x, i) => curvature[i] * (x - 1)).ToArray();
        var fast = Variable.Parameter(new Tensor(1, 4, start.Select(x => (float)x).ToArray()));
        var slow = Variable.Parameter(new Tensor(1, 4, start.Select(x => (float)x).ToArray()));
        var adam = new Adam([fast, slow], new AdamOptions(LearningRate: 0.05f, WeightDecay: (float)weightDecay), p => ReferenceEquals(p, slow) ? 0.2f : 1f);
        for (int step = 0; step < 50; step++)
        {
            adam.ZeroGrad();
            foreach (var param in new[] { fast, slow })
            {
                var g = Grad(param.Value.Data.Select(x => (double)x).ToArray());
                var grad = param.GradOrZerosForTest();
                for (int i = 0; i < 4; i++) grad.Data[i] = (float)g[i];
            }
            adam.Step();
        }
        var expectedFast = ReferenceAdam(start, Grad, 50, 0.05, weightDecay);
        var expectedSlow = ReferenceAdam(start, Grad, 50, 0.01, weightDecay);
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(expectedFast[i], fast.Value.Data[i], 1e-4);
            Assert.Equal(expectedSlow[i], slow.Value.Data[i], 1e-4);
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam([fast], null, _ => 0f));
    }
}

static class VariableTestExtensions
{
    /// <summary>Lets a test place a gradient directly (the optimiser only reads Grad).</summary>
    public static Tensor GradOrZerosForTest(this Variable v) => v.GradOrZeros();
}
