using Crane.Autograd;
using Crane.Numerics;
using Crane.Optim;
using Crane.Tests.Numerics;

namespace Crane.Tests.Optim;

[Collection("Parallelism")]
public class AdamKernelTests
{
    /// <summary>The scalar float loop Adam was first written as: the fused vector pass must give its bits.</summary>
    static void ScalarStep(float[] p, float[] m, float[] v, float[]? g, int t, AdamOptions o)
    {
        float stepSize = o.LearningRate / (1f - MathF.Pow(o.Beta1, t));
        float sqrtCorrection2 = MathF.Sqrt(1f - MathF.Pow(o.Beta2, t));
        for (int j = 0; j < p.Length; j++)
        {
            if (o.WeightDecay != 0f) p[j] *= 1f - o.LearningRate * o.WeightDecay;
            m[j] *= o.Beta1;
            v[j] *= o.Beta2;
            if (g is not null)
            {
                m[j] += (1f - o.Beta1) * g[j];
                v[j] += (1f - o.Beta2) * g[j] * g[j];
            }
            p[j] -= stepSize * m[j] / (MathF.Sqrt(v[j]) / sqrtCorrection2 + o.Epsilon);
        }
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(0.01f)]
    public void Every_width_and_thread_count_gives_the_scalar_loops_bits(float weightDecay)
    {
        // 70,001 elements: several parallel blocks and a ragged tail for every vector width.
        const int n = 70_001, steps = 3;
        var options = new AdamOptions(LearningRate: 0.01f, WeightDecay: weightDecay);
        var start = KernelSettings.Random(1, n, seed: 3).Data;
        var grads = Enumerable.Range(0, steps).Select(s => s == 1 ? null : KernelSettings.Random(1, n, seed: 10 + s, -5f, 5f).Data).ToArray();

        var (p, m, v) = ((float[])start.Clone(), new float[n], new float[n]);
        for (int t = 1; t <= steps; t++) ScalarStep(p, m, v, grads[t - 1], t, options);

        KernelSettings.ForEach((threads, width) =>
        {
            var param = Variable.Parameter(new Tensor(1, n, (float[])start.Clone()));
            var adam = new Adam([param], options);
            foreach (var g in grads)
            {
                adam.ZeroGrad();
                if (g is not null) g.CopyTo(param.GradOrZerosForTest().Data, 0);
                adam.Step();
            }
            Assert.True(p.AsSpan().SequenceEqual(param.Value.Data), $"Adam differs from the scalar loop with {threads} threads and {width}.");
        });
    }
}
