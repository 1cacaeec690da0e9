namespace Crane.Numerics;

/// <summary>
/// Lloyd's k-means under squared Euclidean distance, deterministic for a given <see cref="Rng"/>:
/// the first centroids are distinct rows drawn by a partial Fisher–Yates shuffle; each
/// assignment pass scores a block of <see cref="BlockRows"/> rows against all centroids with one
/// GEMM (‖c‖² − 2⟨x, c⟩, ties to the lower centroid), so memory is O(block·K), never N×K at once;
/// centroids are the means of their rows summed in row order in double (an empty cluster keeps
/// its centroid). Stops when no assignment changes or after the given iterations.
/// </summary>
public static class KMeans
{
    /// <summary>Rows scored per GEMM in the assignment pass.</summary>
    public const int BlockRows = 256;

    /// <summary>
    /// The cluster code (0..<paramref name="clusters"/>−1) of each row of <paramref name="x"/>.
    /// </summary>
    /// <exception cref="ArgumentException">clusters outside 1..rows, or iterations &lt; 1.</exception>
    public static int[] Codes(Tensor x, int clusters, int iterations, Rng rng)
    {
        int n = x.Rows, d = x.Cols;
        if (clusters < 1 || clusters > n) throw new ArgumentException($"k-means needs 1..{n} clusters for {n} rows, got {clusters}.", nameof(clusters));
        if (iterations < 1) throw new ArgumentException($"k-means needs at least one iteration, got {iterations}.", nameof(iterations));

        var order = Enumerable.Range(0, n).ToArray();
        for (int c = 0; c < clusters; c++)
        {
            int j = c + rng.NextInt(n - c);
            (order[c], order[j]) = (order[j], order[c]);
        }
        var centroids = new Tensor(clusters, d);
        for (int c = 0; c < clusters; c++) x.Row(order[c]).CopyTo(centroids.Row(c));

        var codes = new int[n];
        Array.Fill(codes, -1);
        for (int it = 0; it < iterations; it++)
        {
            if (!Assign(x, centroids, codes)) break;
            Update(x, codes, centroids);
        }
        return codes;
    }

    /// <summary>Nearest centroid of every row; true when any code changed.</summary>
    static bool Assign(Tensor x, Tensor centroids, int[] codes)
    {
        int n = x.Rows, d = x.Cols, k = centroids.Rows;
        var squared = new float[k];
        for (int c = 0; c < k; c++)
        {
            var row = centroids.Row(c);
            squared[c] = System.Numerics.Tensors.TensorPrimitives.Dot<float>(row, row);
        }
        var scores = new float[Math.Min(BlockRows, n) * k];
        bool changed = false;
        for (int start = 0; start < n; start += BlockRows)
        {
            int rows = Math.Min(BlockRows, n - start);
            Gemm.Multiply(rows, k, d, 1f, x.Data.AsSpan(start * d), d, false, centroids.Data, d, true, 0f, scores, k);
            for (int r = 0; r < rows; r++)
            {
                int best = 0;
                float bestDistance = float.PositiveInfinity;
                for (int c = 0; c < k; c++)
                {
                    float distance = squared[c] - 2f * scores[r * k + c];   // ‖x − c‖² − ‖x‖²
                    if (distance < bestDistance) (best, bestDistance) = (c, distance);
                }
                if (codes[start + r] != best) (codes[start + r], changed) = (best, true);
            }
        }
        return changed;
    }

    static void Update(Tensor x, int[] codes, Tensor centroids)
    {
        int d = x.Cols, k = centroids.Rows;
        var sums = new double[k * d];
        var counts = new int[k];
        for (int r = 0; r < x.Rows; r++)
        {
            int c = codes[r];
            counts[c]++;
            var row = x.Row(r);
            for (int j = 0; j < d; j++) sums[c * d + j] += row[j];
        }
        for (int c = 0; c < k; c++)
        {
            if (counts[c] == 0) continue;
            var centroid = centroids.Row(c);
            for (int j = 0; j < d; j++) centroid[j] = (float)(sums[c * d + j] / counts[c]);
        }
    }
}
