using System.Numerics.Tensors;
using Crane.Numerics;

namespace Crane.Models;

/// <summary>How a model rescales a frozen raw feature table before its linear projection.</summary>
public enum FeatureScaling
{
    /// <summary>The table as read.</summary>
    None,

    /// <summary>Each column minus its mean over items.</summary>
    Center,

    /// <summary>Each column minus its mean, divided by its standard deviation (1 for a constant column).</summary>
    Standardize,
}

/// <summary>
/// Column-wise centring and scaling of an item feature table. In front of a projection X·W + b
/// this is a reparametrisation (b absorbs the mean, W the scale), so it changes no model's
/// function class, only the conditioning of its training: TikTok's image rows all lie within
/// ~22° of their mean (average cosine 0.93), so without centring every gradient step on W moves
/// all items' projections along one shared direction.
/// </summary>
public static class FeatureScalingExtensions
{
    /// <summary>A rescaled copy of <paramref name="x"/> (the same tensor for <see cref="FeatureScaling.None"/>).</summary>
    public static Tensor Apply(this FeatureScaling scaling, Tensor x)
    {
        if (scaling == FeatureScaling.None) return x;
        int n = x.Rows, d = x.Cols;
        var mean = new double[d];
        var squares = new double[d];
        for (int i = 0; i < n; i++)
        {
            var row = x.Row(i);
            for (int j = 0; j < d; j++) mean[j] += row[j];
        }
        for (int j = 0; j < d; j++) mean[j] /= Math.Max(n, 1);
        for (int i = 0; i < n; i++)   // two passes: E[(x − μ)²] avoids the cancellation of E[x²] − μ²
        {
            var row = x.Row(i);
            for (int j = 0; j < d; j++) { double c = row[j] - mean[j]; squares[j] += c * c; }
        }
        var shift = new float[d];
        var scale = new float[d];
        for (int j = 0; j < d; j++)
        {
            double sd = Math.Sqrt(squares[j] / Math.Max(n, 1));
            shift[j] = (float)mean[j];
            scale[j] = scaling == FeatureScaling.Standardize && sd > 0 ? (float)(1 / sd) : 1f;
        }
        var result = new Tensor(n, d);
        for (int i = 0; i < n; i++)
        {
            var row = result.Row(i);
            TensorPrimitives.Subtract(x.Row(i), shift, row);
            TensorPrimitives.Multiply(row, scale, row);
        }
        return result;
    }
}
