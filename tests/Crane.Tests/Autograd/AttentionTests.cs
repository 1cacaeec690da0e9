using Crane.Autograd;
using Crane.Numerics;
using Crane.Tests.Numerics;

namespace Crane.Tests.Autograd;

public class AttentionTests
{
    [Fact]
    public void Gradients_match_finite_differences_within_one_block() =>
        GradCheck.Check(v => Ops.Attention(v[0], v[1], v[2]),
            GradCheck.Random(4, 3, 1), GradCheck.Random(6, 3, 2), GradCheck.Random(6, 5, 3));

    [Fact]
    public void Gradients_match_finite_differences_across_blocks() =>
        GradCheck.Check(v => Ops.Attention(v[0], v[1], v[2], scale: 0.7f),
            GradCheck.Random(70, 2, 4), GradCheck.Random(67, 2, 5), GradCheck.Random(67, 3, 6));

    [Fact]
    public void Self_attention_on_one_variable_sums_all_three_gradients() =>
        GradCheck.Check(v => Ops.Attention(v[0], v[0], v[0]), GradCheck.Random(9, 4, 7));

    [Fact]
    public void Default_scale_is_one_over_root_d()
    {
        var (q, k, v) = BlockAttentionTests.Inputs(6, 8, 9, 2, magnitude: 1f, seed: 8);
        var y = Ops.Attention(Variable.Constant(q), Variable.Constant(k), Variable.Constant(v));
        var expected = new Tensor(6, 2);
        BlockAttention.Forward(q, k, v, 1f / 3f, expected);
        Assert.Equal(expected.Data, y.Value.Data);
    }

    [Fact]
    public void Constant_inputs_receive_no_gradient()
    {
        var (q, k, v) = BlockAttentionTests.Inputs(5, 4, 3, 2, magnitude: 1f, seed: 9);
        var (pq, ck, pv) = (Variable.Parameter(q), Variable.Constant(k), Variable.Parameter(v));
        var y = Ops.Attention(pq, ck, pv);
        Variable.FromOp(Tensor.Scalar(y.Value.Data.Sum()), [y], g => y.AccumulateGrad(Enumerable.Repeat(g.Data[0], y.Value.Length).ToArray())).Backward();
        Assert.NotNull(pq.Grad);
        Assert.NotNull(pv.Grad);
        Assert.Null(ck.Grad);
    }

    [Fact]
    public void Mismatched_widths_are_rejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => Ops.Attention(
            Variable.Parameter(new Tensor(3, 4)), Variable.Parameter(new Tensor(5, 3)), Variable.Parameter(new Tensor(5, 2))));
        Assert.Contains("3×4", ex.Message);
    }
}
