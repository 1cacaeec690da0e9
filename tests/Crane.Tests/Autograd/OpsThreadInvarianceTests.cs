using Crane.Autograd;
using Crane.Numerics;

namespace Crane.Tests.Autograd;

/// <summary>Ops give the same bits for any thread count (runs alone: it changes <see cref="Parallelism.Threads"/>).</summary>
[Collection("Parallelism")]
public class OpsThreadInvarianceTests
{
    /// <summary>A graph over tensors large enough to be split into several parallel blocks.</summary>
    static (float[] Loss, float[] GradX, float[] GradBias) Run(int threads)
    {
        int saved = Parallelism.Threads;
        Parallelism.Threads = threads;
        try
        {
            var x = Variable.Parameter(GradCheck.Random(700, 64, 121));
            var bias = Variable.Parameter(GradCheck.Random(1, 64, 122));
            var h = Ops.Tanh(Ops.Add(Ops.LayerNorm(x), bias));
            var z = Ops.Mul(Ops.Softmax(h), Ops.L2Normalize(Ops.Transpose(Ops.Transpose(h))));
            var loss = Ops.Add(Ops.Mean(Ops.LogSigmoid(Ops.RowDot(z, h))), Ops.Sum(Ops.Sum(z, Axis.Rows)));
            int[] pairs = Enumerable.Range(0, 5000).ToArray();
            loss = Ops.Add(loss, Ops.Add(Ops.Mean(Ops.LogSumExpOfProducts(z, h, 2f)),
                Ops.Mean(Ops.PairDots(z, pairs.Select(p => p * 7 % 700).ToArray(), h, pairs.Select(p => p * 13 % 700).ToArray()))));
            loss.Backward();
            return (loss.Value.Data, x.Grad!.Data, bias.Grad!.Data);
        }
        finally
        {
            Parallelism.Threads = saved;
        }
    }

    [Fact]
    public void Results_are_bit_identical_for_any_thread_count()
    {
        var one = Run(1);
        var four = Run(4);
        Assert.Equal(one.Loss, four.Loss);
        Assert.Equal(one.GradX, four.GradX);
        Assert.Equal(one.GradBias, four.GradBias);
    }
}
