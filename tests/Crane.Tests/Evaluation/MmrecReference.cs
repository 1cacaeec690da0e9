namespace Crane.Tests.Evaluation;

/// <summary>
/// A line-by-line transcription of MMRec's <c>utils/metrics.py</c> (numpy, column-wise cumsums
/// over the top-maxK hit matrix), used as an independent reference: it shares no code with
/// Crane's per-user loop. Returns the users' mean of each metric at rank K (1-based).
/// </summary>
internal static class MmrecReference
{
    public static Dictionary<string, double> Means(bool[][] posIndex, int[] posLen, int[] ks)
    {
        int users = posIndex.Length, width = ks.Max();
        var recall = new double[users, width];
        var ndcg = new double[users, width];
        var precision = new double[users, width];
        var map = new double[users, width];
        var hit = new double[users, width];
        for (int u = 0; u < users; u++)
        {
            // cumsum(pos_index), idcg = cumsum(1/log2(rank+1)) frozen after min(pos_len, width),
            // dcg = cumsum(where(pos, 1/log2(rank+1), 0)), sum_pre = cumsum(pre · pos)
            int actualLen = Math.Min(posLen[u], width);
            double cum = 0, idcg = 0, dcg = 0, sumPre = 0, frozenIdcg = 0;
            for (int p = 0; p < width; p++)
            {
                int rank = p + 1;
                double pos = posIndex[u][p] ? 1 : 0;
                cum += pos;
                idcg += 1.0 / Math.Log2(rank + 1);
                if (rank <= actualLen) frozenIdcg = idcg;
                dcg += pos / Math.Log2(rank + 1);
                double pre = cum / rank;
                sumPre += pre * pos;
                int range = Math.Min(rank, actualLen); // ranges[lens:] = ranges[lens - 1]
                recall[u, p] = cum / posLen[u];
                ndcg[u, p] = dcg / frozenIdcg;
                precision[u, p] = cum / rank;
                map[u, p] = sumPre / range;
                hit[u, p] = cum > 0 ? 1 : 0;
            }
        }
        var result = new Dictionary<string, double>();
        foreach (int k in ks)
        {
            result[$"recall@{k}"] = Mean(recall, k - 1);
            result[$"ndcg@{k}"] = Mean(ndcg, k - 1);
            result[$"precision@{k}"] = Mean(precision, k - 1);
            result[$"map@{k}"] = Mean(map, k - 1);
            result[$"hit@{k}"] = Mean(hit, k - 1);
        }
        return result;
    }

    static double Mean(double[,] values, int column)
    {
        double sum = 0;
        for (int u = 0; u < values.GetLength(0); u++) sum += values[u, column];
        return sum / values.GetLength(0);
    }
}
