using Crane.Autograd;

namespace Crane.Tests.Autograd;

public class LogSumExpOfProductsTests
{
    static double Expected(Crane.Numerics.Tensor a, Crane.Numerics.Tensor c, float s, int r)
    {
        var logits = Enumerable.Range(0, c.Rows).Select(j => s * Enumerable.Range(0, a.Cols).Sum(k => (double)a[r, k] * c[j, k])).ToArray();
        double max = logits.Max();
        return max + Math.Log(logits.Sum(l => Math.Exp(l - max)));
    }

    [Fact]
    public void Values_and_gradients_match_a_reference_and_finite_differences()
    {
        var a = GradCheck.Random(5, 3, 97);
        var c = GradCheck.Random(7, 3, 98);
        Reference.AssertClose(Ops.LogSumExpOfProducts(Variable.Constant(a), Variable.Constant(c), 2.5f).Value, 5, 1, (r, _) => Expected(a, c, 2.5f, r));
        GradCheck.Check(v => Ops.LogSumExpOfProducts(v[0], v[1], 2.5f), a, c);
        GradCheck.Check(v => Ops.LogSumExpOfProducts(v[0], v[0], 0.5f), a);
    }

    [Fact]
    public void Several_row_blocks_agree_with_the_composed_ops_forward_and_backward()
    {
        // 600 rows = three 256-row blocks; large logits (s = 20) would overflow a plain exp.
        var a = GradCheck.Random(600, 4, 99);
        var c = GradCheck.Random(50, 4, 100);
        var (a1, c1) = (Variable.Parameter(a.Clone()), Variable.Parameter(c.Clone()));
        var fused = Ops.LogSumExpOfProducts(a1, c1, 20f);
        Reference.AssertClose(fused.Value, 600, 1, (r, _) => Expected(a, c, 20f, r), 1e-4);

        var weights = Variable.Constant(GradCheck.Random(600, 1, 101));
        Ops.Sum(Ops.Mul(fused, weights)).Backward();
        var (a2, c2) = (Variable.Parameter(a.Clone()), Variable.Parameter(c.Clone()));
        var shift = Variable.Constant(Crane.Numerics.Tensor.Scalar(-80f));   // keeps the composed exp finite
        var composed = Ops.Sub(Ops.Log(Ops.Sum(Ops.Exp(Ops.Add(Ops.Scale(Ops.MatMul(a2, c2, transB: true), 20f), shift)), Axis.Columns)), shift);
        Ops.Sum(Ops.Mul(composed, weights)).Backward();
        for (int i = 0; i < a.Length; i++) Assert.Equal(a2.Grad!.Data[i], a1.Grad!.Data[i], 1e-3);
        for (int i = 0; i < c.Length; i++) Assert.Equal(c2.Grad!.Data[i], c1.Grad!.Data[i], 1e-3);
    }
}
