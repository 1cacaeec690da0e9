using Crane.Autograd;

namespace Crane.Tests.Autograd;

public class GraphTests
{
    [Fact]
    public void Node_used_twice_accumulates_its_gradient()
    {
        // h = tanh(x) feeds three paths: L = Σ (h ⊙ h + 3h), so ∂L/∂x = (2h + 3)(1 − h²).
        var x = GradCheck.Random(2, 3, 101);
        var p = Variable.Parameter(x);
        var h = Ops.Tanh(p);
        Ops.Sum(Ops.Add(Ops.Mul(h, h), Ops.Scale(h, 3f))).Backward();
        for (int i = 0; i < x.Length; i++)
        {
            double t = Math.Tanh(x.Data[i]);
            Assert.Equal((2 * t + 3) * (1 - t * t), p.Grad!.Data[i], 5);
        }
        GradCheck.Check(v => { var t = Ops.Tanh(v[0]); return Ops.Add(Ops.Mul(t, t), Ops.Scale(t, 3f)); }, x);
    }

    [Fact]
    public void Reused_gradient_storage_starts_from_zero()
    {
        // L = Σ 3·(2x)², so ∂L/∂x = 24x. In the backward pass c's gradient (all ones, from Σ) is spent
        // before a's is first needed, same shape: a's gradient reuses that storage and must not start
        // from its ones.
        var x = GradCheck.Random(2, 3, 104);
        var p = Variable.Parameter(x);
        var a = Ops.Scale(p, 2f);
        var c = Ops.Scale(Ops.Mul(a, a), 3f);
        for (int pass = 0; pass < 2; pass++)   // the second pass reuses the parameter's spare gradient too
        {
            p.ZeroGrad();
            Ops.Sum(c).Backward();
            for (int i = 0; i < x.Length; i++) Assert.Equal(24.0 * x.Data[i], p.Grad!.Data[i], 4);
        }
    }

    public static TheoryData<string> Names => new()
    {
        "Add", "Sub", "Mul", "Scale", "Sum", "Mean", "MatMul", "SpMM", "WeightedSpMM", "Relu", "LogSigmoid", "Softmax", "LogSoftmax",
        "LayerNorm", "L2Normalize", "Concat", "Split", "GatherRows", "RowDot", "Transpose",
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void Ops_on_constants_record_nothing(string name)
    {
        var a = Variable.Constant(GradCheck.Random(2, 2, 102));
        var b = Variable.Constant(GradCheck.Random(2, 2, 103));
        var csr = Crane.Numerics.CsrMatrix.FromCoo(2, 2, [0, 1], [1, 0], [1f, 2f]);
        Variable y = name switch
        {
            "Add" => Ops.Add(a, b),
            "Sub" => Ops.Sub(a, b),
            "Mul" => Ops.Mul(a, b),
            "Scale" => Ops.Scale(a, 2f),
            "Sum" => Ops.Sum(a, Axis.Rows),
            "Mean" => Ops.Mean(a),
            "MatMul" => Ops.MatMul(a, b),
            "SpMM" => Ops.SpMM(csr, a),
            "WeightedSpMM" => Ops.SpMM(csr, Variable.Constant(new(1, 2)), a),
            "Relu" => Ops.Relu(a),
            "LogSigmoid" => Ops.LogSigmoid(a),
            "LogSoftmax" => Ops.LogSoftmax(a),
            "Softmax" => Ops.Softmax(a),
            "LayerNorm" => Ops.LayerNorm(a, Variable.Constant(new(1, 2)), Variable.Constant(new(1, 2))),
            "L2Normalize" => Ops.L2Normalize(a),
            "Concat" => Ops.ConcatColumns(a, b),
            "Split" => Ops.SplitColumns(a, 1, 1)[1],
            "GatherRows" => Ops.GatherRows(a, [1, 1]),
            "RowDot" => Ops.RowDot(a, b),
            "Transpose" => Ops.Transpose(a),
            _ => throw new ArgumentException(name),
        };
        Assert.False(y.RequiresGrad);
        Assert.True(y.IsLeaf);
    }

    [Fact]
    public void A_constant_input_gets_no_gradient_while_the_parameter_does()
    {
        var c = Variable.Constant(GradCheck.Random(2, 3, 104));
        var p = Variable.Parameter(GradCheck.Random(2, 3, 105));
        Ops.Sum(Ops.Mul(c, p)).Backward();
        Assert.Null(c.Grad);
        Assert.Equal(c.Value.Data, p.Grad!.Data);
    }

    [Fact]
    public void After_zero_grad_the_gradient_is_null_and_the_next_one_starts_from_zero()
    {
        // ZeroGrad recycles the gradient's storage; the next backward must not see the old values.
        var c = Variable.Constant(GradCheck.Random(2, 3, 106));
        var p = Variable.Parameter(GradCheck.Random(2, 3, 107));
        Ops.Sum(Ops.Mul(c, p)).Backward();
        Ops.Sum(Ops.Mul(c, p)).Backward();
        Assert.Equal(c.Value.Data.Select(x => 2 * x), p.Grad!.Data);
        p.ZeroGrad();
        Assert.Null(p.Grad);
        Ops.Sum(Ops.Scale(p, 3f)).Backward();
        Assert.All(p.Grad!.Data, g => Assert.Equal(3f, g));
    }
}
