using Crane.Models;
using Crane.Numerics;

namespace Crane.Tests.Models;

public class FeatureScalingTests
{
    // Columns: a shifted ramp, a large constant, a small-scale column.
    static readonly Tensor X = new(4, 3, [10, 7, 0.01f, 11, 7, 0.03f, 12, 7, 0.02f, 13, 7, 0.06f]);

    static (double Mean, double Sd) Column(Tensor t, int j)
    {
        var values = Enumerable.Range(0, t.Rows).Select(i => (double)t[i, j]).ToArray();
        double mean = values.Average();
        return (mean, Math.Sqrt(values.Average(v => (v - mean) * (v - mean))));
    }

    [Fact]
    public void None_returns_the_table_itself()
    {
        Assert.Same(X, FeatureScaling.None.Apply(X));
    }

    [Fact]
    public void Center_gives_zero_column_means_and_keeps_the_spread()
    {
        var centred = FeatureScaling.Center.Apply(X);
        for (int j = 0; j < X.Cols; j++)
        {
            Assert.Equal(0, Column(centred, j).Mean, 5);
            Assert.Equal(Column(X, j).Sd, Column(centred, j).Sd, 5);
        }
        Assert.Equal(-1.5f, centred[0, 0], 5);   // 10 − mean(10, 11, 12, 13)
    }

    [Fact]
    public void Standardize_gives_zero_means_and_unit_deviations_and_leaves_constant_columns_at_zero()
    {
        var z = FeatureScaling.Standardize.Apply(X);
        Assert.Equal(X.Data.ToArray()[0], X[0, 0]);   // the input is not modified
        foreach (int j in new[] { 0, 2 })
        {
            Assert.Equal(0, Column(z, j).Mean, 5);
            Assert.Equal(1, Column(z, j).Sd, 4);
        }
        Assert.All(Enumerable.Range(0, 4), i => Assert.Equal(0f, z[i, 1]));
        Assert.Equal(-1.5 / Math.Sqrt(1.25), z[0, 0], 5);
    }
}
