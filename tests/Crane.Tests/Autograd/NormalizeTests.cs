using Crane.Autograd;
using Crane.Numerics;

namespace Crane.Tests.Autograd;

public class NormalizeTests
{
    static double RowMean(Tensor x, int r) => Enumerable.Range(0, x.Cols).Average(c => (double)x[r, c]);
    static double RowVar(Tensor x, int r) => Enumerable.Range(0, x.Cols).Average(c => Math.Pow(x[r, c] - RowMean(x, r), 2));
    static double RowNorm(Tensor x, int r) => Math.Sqrt(Enumerable.Range(0, x.Cols).Sum(c => (double)x[r, c] * x[r, c]));

    [Fact]
    public void Layer_norm_without_gain_or_bias()
    {
        var x = GradCheck.Random(3, 6, 61, -2, 2);
        Reference.AssertClose(Ops.LayerNorm(Variable.Constant(x)).Value, 3, 6,
            (r, c) => (x[r, c] - RowMean(x, r)) / Math.Sqrt(RowVar(x, r) + 1e-5), 1e-4);
        GradCheck.Check(v => Ops.LayerNorm(v[0]), x);
    }

    [Fact]
    public void Layer_norm_with_gain_and_bias()
    {
        var x = GradCheck.Random(3, 6, 62, -2, 2);
        var gain = GradCheck.Random(1, 6, 63, 0.5f, 1.5f);
        var bias = GradCheck.Random(1, 6, 64);
        Reference.AssertClose(Ops.LayerNorm(Variable.Constant(x), Variable.Constant(gain), Variable.Constant(bias)).Value, 3, 6,
            (r, c) => (x[r, c] - RowMean(x, r)) / Math.Sqrt(RowVar(x, r) + 1e-5) * gain[0, c] + bias[0, c], 1e-4);
        GradCheck.Check(v => Ops.LayerNorm(v[0], v[1], v[2]), x, gain, bias);
        GradCheck.Check(v => Ops.LayerNorm(v[0], gain: v[1]), x, gain);
        GradCheck.Check(v => Ops.LayerNorm(v[0], bias: v[1]), x, bias);
    }

    [Fact]
    public void Layer_norm_rejects_a_gain_of_the_wrong_width()
    {
        Reference.AssertRejected<ArgumentException>(() =>
            Ops.LayerNorm(Variable.Constant(new(3, 6)), Variable.Constant(new(1, 5))), "LayerNorm", "1×5");
    }

    [Fact]
    public void L2_normalize_rows()
    {
        var x = GradCheck.Random(4, 3, 65);
        Reference.AssertClose(Ops.L2Normalize(Variable.Constant(x)).Value, 4, 3, (r, c) => x[r, c] / RowNorm(x, r));
        GradCheck.Check(v => Ops.L2Normalize(v[0]), x);
    }

    [Fact]
    public void L2_normalize_gradient_is_right_where_the_eps_clamp_is_active()
    {
        // Row 0 has norm ≤ 0.05, far under eps = 0.5 even after a finite-difference step, so it is
        // divided by eps (a linear map); rows 1–2 have norms above 1 and are truly normalised.
        var x = GradCheck.Random(3, 3, 66);
        for (int c = 0; c < 3; c++) x[0, c] *= 0.03f;
        for (int c = 0; c < 3; c++) x[1, c] = x[1, c] >= 0 ? x[1, c] + 1 : x[1, c] - 1;
        for (int c = 0; c < 3; c++) x[2, c] = x[2, c] >= 0 ? x[2, c] + 1 : x[2, c] - 1;
        Reference.AssertClose(Ops.L2Normalize(Variable.Constant(x), 0.5f).Value, 3, 3,
            (r, c) => x[r, c] / Math.Max(RowNorm(x, r), 0.5));
        GradCheck.Check(v => Ops.L2Normalize(v[0], 0.5f), x);

        var p = Variable.Parameter(x);
        Ops.Sum(Ops.L2Normalize(p, 0.5f)).Backward();
        for (int c = 0; c < 3; c++) Assert.Equal(2f, p.Grad![0, c], 5);
    }
}
