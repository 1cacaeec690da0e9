namespace Crane.Evaluation;

/// <summary>
/// One user's ranking metrics from the hit pattern of its top list, exactly as MMRec's
/// <c>utils/metrics.py</c> defines them (recall_, ndcg_, precision_, map_, hit_).
/// </summary>
internal static class Metrics
{
    /// <summary>The metric names in output order; keys are "name@K".</summary>
    public static readonly string[] Names = ["recall", "ndcg", "precision", "map", "hit"];

    /// <summary>
    /// Writes the metrics of one user into <paramref name="output"/>, laid out
    /// [metric · ks.Length + k-index] in <see cref="Names"/> order.
    /// </summary>
    /// <param name="hits">hits[p] is true when the item at rank p + 1 is relevant; length ≥ max(K).</param>
    /// <param name="relevant">|relevant|: the user's items in the evaluated split (≥ 1).</param>
    /// <param name="ks">Cut-offs, each ≥ 1, ascending.</param>
    /// <param name="output">Metrics.Names.Length × ks.Length values.</param>
    /// <remarks>
    /// Per cut-off K, with h(p) = 1 when rank p is a hit and c(p) = h(1) + … + h(p):
    /// recall = c(K) / |relevant|; precision = c(K) / K; hit = [c(K) &gt; 0];
    /// NDCG = Σ_{p≤K} h(p) / log2(p + 1) divided by IDCG = Σ_{p≤min(|relevant|, K)} 1 / log2(p + 1);
    /// MAP = Σ_{p≤K} h(p) · c(p) / p divided by min(|relevant|, K).
    /// Everything is accumulated in double, rank by rank, in one fixed order.
    /// </remarks>
    public static void ForUser(ReadOnlySpan<bool> hits, int relevant, ReadOnlySpan<int> ks, Span<double> output)
    {
        int count = ks.Length;
        int hitCount = 0;
        double dcg = 0, idcg = 0, precisionSum = 0;
        int rank = 0; // ranks 1..rank are accumulated
        for (int j = 0; j < count; j++)
        {
            int k = ks[j];
            for (; rank < k; rank++)
            {
                double discount = 1.0 / Math.Log2(rank + 2);
                if (rank < relevant) idcg += discount;
                if (!hits[rank]) continue;
                hitCount++;
                dcg += discount;
                precisionSum += (double)hitCount / (rank + 1);
            }
            output[0 * count + j] = (double)hitCount / relevant;
            output[1 * count + j] = dcg / idcg;
            output[2 * count + j] = (double)hitCount / k;
            output[3 * count + j] = precisionSum / Math.Min(relevant, k);
            output[4 * count + j] = hitCount > 0 ? 1 : 0;
        }
    }
}
