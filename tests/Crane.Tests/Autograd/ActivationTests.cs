using Crane.Autograd;

namespace Crane.Tests.Autograd;

public class ActivationTests
{
    static double Softplus(double x)
    {
        // log1p(u) by its series for small u: Math.Log(1 + u) would round tiny u away.
        double u = Math.Exp(-Math.Abs(x));
        double log1p = u < 1e-4 ? u - u * u / 2 + u * u * u / 3 : Math.Log(1 + u);
        return Math.Max(x, 0) + log1p;
    }

    public static TheoryData<string> Names => new() { "Relu", "LeakyRelu", "Tanh", "Sigmoid", "LogSigmoid", "Softplus", "Exp", "Log" };

    static (Func<Variable, Variable> Op, Func<double, double> Reference, Tensor Input) Case(string name) => name switch
    {
        // Kinked ops get inputs away from 0 so the finite difference never straddles the kink.
        "Relu" => (Ops.Relu, x => Math.Max(x, 0), Reference.AwayFromZero(4, 5, 21)),
        "LeakyRelu" => (x => Ops.LeakyRelu(x, 0.2f), x => x > 0 ? x : 0.2 * x, Reference.AwayFromZero(4, 5, 22)),
        "Tanh" => (Ops.Tanh, Math.Tanh, GradCheck.Random(4, 5, 23, -2, 2)),
        "Sigmoid" => (Ops.Sigmoid, x => 1 / (1 + Math.Exp(-x)), GradCheck.Random(4, 5, 24, -3, 3)),
        "LogSigmoid" => (Ops.LogSigmoid, x => -Softplus(-x), GradCheck.Random(4, 5, 25, -3, 3)),
        "Softplus" => (Ops.Softplus, Softplus, GradCheck.Random(4, 5, 26, -3, 3)),
        "Exp" => (Ops.Exp, Math.Exp, GradCheck.Random(4, 5, 27)),
        "Log" => (Ops.Log, Math.Log, GradCheck.Random(4, 5, 28, 0.5f, 2f)),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void Forward_matches_double_reference(string name)
    {
        var (op, reference, x) = Case(name);
        Reference.AssertClose(op(Variable.Constant(x)).Value, x.Rows, x.Cols, (r, c) => reference(x[r, c]));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Gradient_matches_finite_differences(string name)
    {
        var (op, _, x) = Case(name);
        GradCheck.Check(v => op(v[0]), x);
    }

    // More elements than one vector so both the vector loop and the scalar tail run.
    static readonly float[] Extremes = [-100, -88, -50, -30, -20, -17, -10, -5, -1, -1e-3f, 0, 1e-3f, 1, 5, 10, 17, 20, 30, 50, 88, 100];

    [Fact]
    public void Softplus_and_log_sigmoid_are_finite_and_exact_at_large_magnitudes()
    {
        var x = new Tensor(1, Extremes.Length, (float[])Extremes.Clone());
        var softplus = Ops.Softplus(Variable.Constant(x)).Value;
        var logSigmoid = Ops.LogSigmoid(Variable.Constant(x)).Value;
        for (int i = 0; i < Extremes.Length; i++)
        {
            double sp = Softplus(Extremes[i]), ls = -Softplus(-Extremes[i]);
            // A few float ulps relative; the absolute 1e−40 only covers e^−100 ≈ 4e−44, a float denormal.
            Assert.True(Math.Abs(softplus.Data[i] - sp) <= 1e-6 * Math.Abs(sp) + 1e-40, $"softplus({Extremes[i]}) = {softplus.Data[i]:G9}, expected {sp:G9}");
            Assert.True(Math.Abs(logSigmoid.Data[i] - ls) <= 1e-6 * Math.Abs(ls) + 1e-40, $"logσ({Extremes[i]}) = {logSigmoid.Data[i]:G9}, expected {ls:G9}");
        }
    }

    [Fact]
    public void Log_sigmoid_gradient_is_finite_at_large_magnitudes()
    {
        var x = Variable.Parameter(new Tensor(1, Extremes.Length, (float[])Extremes.Clone()));
        Ops.Sum(Ops.LogSigmoid(x)).Backward();
        for (int i = 0; i < Extremes.Length; i++)
        {
            double expected = 1 / (1 + Math.Exp(Extremes[i])); // σ(−x)
            Assert.True(Math.Abs(x.Grad!.Data[i] - expected) <= 1e-6, $"∂logσ({Extremes[i]}) = {x.Grad.Data[i]:G9}, expected {expected:G9}");
        }
    }
}
