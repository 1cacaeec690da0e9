using Crane.Autograd;
using Crane.Models;
using Crane.Numerics;
using Crane.Tests.Autograd;

namespace Crane.Tests.Models;

public class UserAggregationTests
{
    const int Users = 4, Items = 6, D = 3;

    /// <summary>N_u of <see cref="TinyData"/> as sets (the repeated pair counts once).</summary>
    static readonly int[][] ItemsOf = Enumerable.Range(0, Users)
        .Select(u => TinyData.TrainPairs.Where(p => p.User == u).Select(p => p.Item).Distinct().ToArray()).ToArray();

    static (UserAggregation Aggregation, Tensor X) Setup(Aggregation kind)
    {
        var agg = new UserAggregation(kind, TinyData.Create(), D, Rng.ForStream(5, "init"));
        int seed = 60;
        foreach (var p in agg.Parameters) GradCheck.Random(p.Rows, p.Cols, seed++).Data.CopyTo(p.Value.Data, 0);
        return (agg, GradCheck.Random(Items, D, 59));
    }

    [Theory]
    [InlineData(Aggregation.Sum)]
    [InlineData(Aggregation.Mean)]
    [InlineData(Aggregation.Max)]
    public void Plain_variants_match_a_hand_computation(Aggregation kind)
    {
        var (agg, x) = Setup(kind);
        Reference.AssertClose(agg.Apply(Variable.Constant(x)).Value, Users, D, (u, c) =>
        {
            var values = ItemsOf[u].Select(i => (double)x[i, c]).ToArray();
            return kind switch { Aggregation.Sum => values.Sum(), Aggregation.Mean => values.Average(), _ => values.Max() };
        });
    }

    [Fact]
    public void Attention_weights_are_a_softmax_of_the_scored_items()
    {
        var (agg, x) = Setup(Aggregation.Attention);
        var p = agg.Parameters.ToArray();
        var (wa, ba, q) = (p[0].Value, p[1].Value, p[2].Value);
        double Score(int i)
        {
            double s = 0;
            for (int c = 0; c < D; c++)
            {
                double h = ba[0, c];
                for (int k = 0; k < D; k++) h += (double)x[i, k] * wa[k, c];
                s += Math.Tanh(h) * q[c, 0];
            }
            return s;
        }
        Reference.AssertClose(agg.Apply(Variable.Constant(x)).Value, Users, D, (u, c) =>
        {
            var e = ItemsOf[u].Select(i => Math.Exp(Score(i))).ToArray();
            return ItemsOf[u].Select((i, k) => e[k] / e.Sum() * x[i, c]).Sum();
        });
    }

    [Theory]
    [InlineData(Aggregation.Mean)]
    [InlineData(Aggregation.Attention)]
    public void Gradients_match_finite_differences(Aggregation kind)
    {
        var (agg, x) = Setup(kind);
        GradCheck.Check(v => agg.Apply(v[0]), x);
    }
}
