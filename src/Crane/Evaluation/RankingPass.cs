using Crane.Models;
using Crane.Numerics;

namespace Crane.Evaluation;

/// <summary>
/// Scores users in batches, masks their training items, takes the top max(K) and writes each
/// user's metrics into its own slot of the per-user array.
/// </summary>
internal sealed class RankingPass(Scorer scorer, CsrMatrix train, CsrMatrix relevant, int[] ks)
{
    readonly int _maxK = ks[^1];
    readonly int _stride = Metrics.Names.Length * ks.Length;

    /// <summary>Fills perUser[i · stride ..] with the metrics of users[i].</summary>
    public void Run(int[] users, int batchSize, double[] perUser)
    {
        int batch = Math.Min(batchSize, users.Length);
        // The short remainder batch goes first, so the full-size buffer is allocated once, after it.
        int size = users.Length % batch == 0 ? batch : users.Length % batch;
        Tensor? scores = null;
        int[] top = [];
        float[] topValues = [];
        for (int start = 0; start < users.Length; start += size, size = batch)
        {
            if (scores?.Rows != size)
            {
                scores = null; // let the remainder's buffer go before the full one is allocated
                scores = new Tensor(size, train.Cols);
                top = new int[size * _maxK];
                topValues = new float[size * _maxK];
            }
            var batchUsers = users.AsSpan(start, size);
            scorer.Score(batchUsers, scores);
            MaskTraining(users, start, scores);
            TopK.PerRow(scores, _maxK, top, topValues);
            WriteMetrics(users, start, top, perUser);
        }
    }

    void MaskTraining(int[] users, int start, Tensor scores) => Parallelism.ForBlocks(scores.Rows, 16, (r0, r1) =>
    {
        for (int r = r0; r < r1; r++)
        {
            int u = users[start + r];
            var row = scores.Row(r);
            for (int p = train.RowPtr[u]; p < train.RowPtr[u + 1]; p++)
                row[train.ColIdx[p]] = float.NegativeInfinity;
        }
    });

    void WriteMetrics(int[] users, int start, int[] top, double[] perUser) =>
        Parallelism.ForBlocks(top.Length / _maxK, 16, (r0, r1) =>
        {
            var hits = new bool[_maxK];
            for (int r = r0; r < r1; r++)
            {
                int u = users[start + r];
                var userRelevant = Row(relevant, u);
                var userTrain = Row(train, u);
                for (int p = 0; p < _maxK; p++)
                {
                    int item = top[r * _maxK + p];
                    hits[p] = item >= 0 && userRelevant.BinarySearch(item) >= 0 && userTrain.BinarySearch(item) < 0;
                }
                Metrics.ForUser(hits, userRelevant.Length, ks, perUser.AsSpan((start + r) * _stride, _stride));
            }
        });

    static ReadOnlySpan<int> Row(CsrMatrix m, int r) => m.ColIdx.AsSpan(m.RowPtr[r], m.RowPtr[r + 1] - m.RowPtr[r]);
}
