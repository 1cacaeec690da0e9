using Crane.Autograd;

namespace Crane.Tests.Autograd;

public class SoftmaxTests
{
    static double LogSumExp(Tensor x, int r)
    {
        double max = double.NegativeInfinity, s = 0;
        for (int c = 0; c < x.Cols; c++) max = Math.Max(max, x[r, c]);
        for (int c = 0; c < x.Cols; c++) s += Math.Exp(x[r, c] - max);
        return max + Math.Log(s);
    }

    [Fact]
    public void Softmax_rows_match_reference_and_finite_differences()
    {
        var x = GradCheck.Random(3, 5, 51, -2, 2);
        Reference.AssertClose(Ops.Softmax(Variable.Constant(x)).Value, 3, 5, (r, c) => Math.Exp(x[r, c] - LogSumExp(x, r)));
        GradCheck.Check(v => Ops.Softmax(v[0]), x);
    }

    [Fact]
    public void Log_softmax_rows_match_reference_and_finite_differences()
    {
        var x = GradCheck.Random(3, 5, 52, -2, 2);
        Reference.AssertClose(Ops.LogSoftmax(Variable.Constant(x)).Value, 3, 5, (r, c) => x[r, c] - LogSumExp(x, r));
        GradCheck.Check(v => Ops.LogSoftmax(v[0]), x);
    }
}
