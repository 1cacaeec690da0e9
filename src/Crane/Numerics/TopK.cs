namespace Crane.Numerics;

/// <summary>Top-k per row of a dense score tensor (k ≪ n).</summary>
public static class TopK
{
    /// <summary>
    /// For each row, the k largest values in descending order and their column indices; ties go
    /// to the lower index. <paramref name="indices"/> and <paramref name="values"/> are Rows×k
    /// (int and float, row-major). NaN never enters the top-k.
    /// </summary>
    public static void PerRow(Tensor scores, int k, int[] indices, float[] values)
    {
        // Placeholder: full sort per row; replaced by the heap kernel.
        for (int r = 0; r < scores.Rows; r++)
        {
            var row = scores.Row(r).ToArray();
            var order = Enumerable.Range(0, row.Length).Where(i => !float.IsNaN(row[i]))
                .OrderByDescending(i => row[i]).ThenBy(i => i).Take(k).ToArray();
            for (int j = 0; j < k; j++)
            {
                indices[r * k + j] = j < order.Length ? order[j] : -1;
                values[r * k + j] = j < order.Length ? row[order[j]] : float.NegativeInfinity;
            }
        }
    }
}
