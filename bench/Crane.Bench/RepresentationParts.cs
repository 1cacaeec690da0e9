using Crane.Data;
using Crane.Evaluation;
using Crane.Numerics;

namespace Crane.Bench;

/// <summary>
/// The diagnosis reports' view of a model's final rows as a sum of parts: validation Recall@20 of
/// any sum of (M+N)×d part tables, scored by inner products, and the mean row norm of a part.
/// </summary>
internal static class RepresentationParts
{
    /// <summary>Validation Recall@20 of the users-then-items table <paramref name="all"/> scored by inner products.</summary>
    public static double Validate(Dataset data, Tensor all) => Metrics(data, all)["recall@20"];

    /// <summary>"R/N": validation Recall@20 and NDCG@20 of <paramref name="all"/>, as <see cref="Validate"/> scores it.</summary>
    public static string RecallAndNdcg(Dataset data, Tensor all)
    {
        var values = Metrics(data, all);
        return $"{F4(values["recall@20"])}/{F4(values["ndcg@20"])}";
    }

    static IReadOnlyDictionary<string, double> Metrics(Dataset data, Tensor all)
    {
        int d = all.Cols;
        var users = new Tensor(data.UserCount, d, all.Data.AsSpan(0, data.UserCount * d).ToArray());
        var items = new Tensor(data.ItemCount, d, all.Data.AsSpan(data.UserCount * d).ToArray());
        return Evaluator.Evaluate(new DotProductModel(users, items), data, Split.Valid).Values;
    }

    /// <summary>The element-wise sum of the parts numbered <paramref name="which"/>.</summary>
    public static Tensor Sum(Tensor[] parts, params int[] which)
    {
        var r = new Tensor(parts[0].Rows, parts[0].Cols);
        foreach (int w in which) System.Numerics.Tensors.TensorPrimitives.Add(r.Data, parts[w].Data, r.Data);
        return r;
    }

    /// <summary>The mean L2 norm of rows firstRow … firstRow + rows − 1.</summary>
    public static double Norm(Tensor t, int firstRow, int rows)
    {
        double total = 0;
        for (int r = firstRow; r < firstRow + rows; r++) total += System.Numerics.Tensors.TensorPrimitives.Norm(t.Row(r));
        return total / rows;
    }

    /// <summary>
    /// The mean cosine of rows firstRow … firstRow + rows − 1 with their mean row: near 1 when every
    /// row points the same way, so that the part ranks items alike for every user (a global item score).
    /// </summary>
    public static double Sameness(Tensor t, int firstRow, int rows)
    {
        var mean = new float[t.Cols];
        for (int r = firstRow; r < firstRow + rows; r++) System.Numerics.Tensors.TensorPrimitives.Add(mean, t.Row(r), mean);
        double total = 0;
        for (int r = firstRow; r < firstRow + rows; r++)
        {
            float cosine = System.Numerics.Tensors.TensorPrimitives.CosineSimilarity(t.Row(r), mean);
            if (float.IsFinite(cosine)) total += cosine;   // a zero row counts as 0
        }
        return total / rows;
    }

    /// <summary>Four decimals, invariant culture.</summary>
    public static string F4(double x) => x.ToString("F4", System.Globalization.CultureInfo.InvariantCulture);
}
