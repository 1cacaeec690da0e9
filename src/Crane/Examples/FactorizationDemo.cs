using System.Diagnostics;
using Crane.Autograd;
using Crane.Numerics;
using Crane.Optim;

namespace Crane.Examples;

/// <summary>Settings of <see cref="FactorizationDemo"/>.</summary>
/// <param name="Users">Users to generate.</param>
/// <param name="Items">Items to generate.</param>
/// <param name="Clusters">Latent taste clusters shared by users and items.</param>
/// <param name="InteractionsPerUser">Interactions per user (the last two are held out for testing).</param>
/// <param name="Dimension">Embedding size.</param>
/// <param name="Epochs">Training epochs.</param>
/// <param name="BatchSize">Training triples per step.</param>
/// <param name="LearningRate">Adam's learning rate.</param>
/// <param name="Seed">Seed of every random stream.</param>
public sealed record DemoOptions(
    int Users = 3000,
    int Items = 1500,
    int Clusters = 12,
    int InteractionsPerUser = 20,
    int Dimension = 32,
    int Epochs = 15,
    int BatchSize = 2048,
    float LearningRate = 0.01f,
    ulong Seed = 999);

/// <summary>What one epoch did.</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Loss">Mean BPR loss over the epoch's batches.</param>
/// <param name="Seconds">Training seconds of the epoch.</param>
/// <param name="Recall20">Test Recall@20 after the epoch.</param>
/// <param name="Ndcg20">Test NDCG@20 after the epoch.</param>
public sealed record DemoEpoch(int Epoch, double Loss, double Seconds, double Recall20, double Ndcg20);

/// <summary>The demo's outcome.</summary>
/// <param name="Epochs">One entry per epoch.</param>
/// <param name="PopularityRecall20">Recall@20 of recommending the most popular unseen items.</param>
/// <param name="PopularityNdcg20">NDCG@20 of the popularity ranking.</param>
/// <param name="SampleUser">The user whose recommendations are shown.</param>
/// <param name="SampleUserCluster">That user's latent cluster.</param>
/// <param name="SampleRecommendations">Top-10 (item, item cluster) for the sample user.</param>
/// <param name="UserEmbeddings">The trained user table (for determinism checks).</param>
public sealed record DemoResult(
    IReadOnlyList<DemoEpoch> Epochs,
    double PopularityRecall20,
    double PopularityNdcg20,
    int SampleUser,
    int SampleUserCluster,
    IReadOnlyList<(int Item, int Cluster)> SampleRecommendations,
    Tensor UserEmbeddings);

/// <summary>
/// A small end-to-end run of the engine: planted-cluster interactions, matrix factorisation
/// trained with the BPR loss through autograd and Adam, full-ranking Recall/NDCG@20 against a
/// popularity baseline. A stand-in until the data, training and evaluation layers land; it
/// exercises Rng, Gemm, TopK, the ops and the optimiser together.
/// </summary>
public static class FactorizationDemo
{
    const int K = 20;

    /// <summary>Runs the demo; <paramref name="onEpoch"/> sees each epoch, <paramref name="onBatch"/> each step's fraction done.</summary>
    public static DemoResult Run(DemoOptions o, Action<DemoEpoch>? onEpoch = null, Action<double>? onBatch = null)
    {
        var data = PlantedData.Generate(o);
        var init = Rng.ForStream(o.Seed, "init");
        var users = Variable.Parameter(Init.XavierUniform(new Tensor(o.Users, o.Dimension), init), "user_embedding");
        var items = Variable.Parameter(Init.XavierUniform(new Tensor(o.Items, o.Dimension), init), "item_embedding");
        var adam = new Adam([users, items], new AdamOptions(LearningRate: o.LearningRate));
        var sampling = Rng.ForStream(o.Seed, "negatives");
        var epochs = new List<DemoEpoch>();
        int batches = (data.Train.Length + o.BatchSize - 1) / o.BatchSize;

        for (int epoch = 1; epoch <= o.Epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            var order = data.Train.ToArray();
            sampling.Shuffle<(int, int)>(order);
            double lossSum = 0;
            for (int b = 0; b < batches; b++)
            {
                var batch = order.AsSpan(b * o.BatchSize, Math.Min(o.BatchSize, order.Length - b * o.BatchSize));
                var (u, pos, neg) = data.SampleTriples(batch, sampling);
                adam.ZeroGrad();
                var loss = BprLoss(users, items, u, pos, neg);
                loss.Backward();
                adam.Step();
                lossSum += loss.Value.Data[0];
                onBatch?.Invoke((epoch - 1 + (b + 1.0) / batches) / o.Epochs);
            }
            var (recall, ndcg) = Evaluate(data, users.Value, items.Value);
            var record = new DemoEpoch(epoch, lossSum / batches, clock.Elapsed.TotalSeconds, recall, ndcg);
            epochs.Add(record);
            onEpoch?.Invoke(record);
        }

        var (popRecall, popNdcg) = EvaluatePopularity(data);
        int sample = 0;
        var top = Recommend(data, users.Value, items.Value, sample, 10);
        return new DemoResult(epochs, popRecall, popNdcg, sample, data.UserCluster[sample],
            top.Select(i => (i, data.ItemCluster[i])).ToArray(), users.Value.Clone());
    }

    /// <summary>−mean log σ(uᵀi⁺ − uᵀi⁻) + 1e-4·(‖u‖² + ‖i⁺‖² + ‖i⁻‖²)/B.</summary>
    static Variable BprLoss(Variable users, Variable items, int[] u, int[] pos, int[] neg)
    {
        var eu = Ops.GatherRows(users, u);
        var ep = Ops.GatherRows(items, pos);
        var en = Ops.GatherRows(items, neg);
        var margin = Ops.Sub(Ops.RowDot(eu, ep), Ops.RowDot(eu, en));
        var bpr = Ops.Scale(Ops.Mean(Ops.LogSigmoid(margin)), -1f);
        var norms = Ops.Add(Ops.Add(Ops.Sum(Ops.Mul(eu, eu)), Ops.Sum(Ops.Mul(ep, ep))), Ops.Sum(Ops.Mul(en, en)));
        return Ops.Add(bpr, Ops.Scale(norms, 1e-4f / u.Length));
    }

    static (double Recall, double Ndcg) Evaluate(PlantedData data, Tensor users, Tensor items)
    {
        double recall = 0, ndcg = 0;
        const int batch = 512;
        for (int start = 0; start < data.Users; start += batch)
        {
            int rows = Math.Min(batch, data.Users - start);
            var block = new Tensor(rows, users.Cols, users.Data.AsSpan(start * users.Cols, rows * users.Cols).ToArray());
            var scores = Gemm.Multiply(block, items, transB: true);
            for (int r = 0; r < rows; r++) data.MaskTrain(start + r, scores.Row(r));
            var top = new int[rows * K];
            TopK.PerRow(scores, K, top, new float[rows * K]);
            for (int r = 0; r < rows; r++)
            {
                var (re, nd) = Score(top.AsSpan(r * K, K), data.Test[start + r]);
                recall += re; ndcg += nd;
            }
        }
        return (recall / data.Users, ndcg / data.Users);
    }

    static (double Recall, double Ndcg) EvaluatePopularity(PlantedData data)
    {
        var byPopularity = Enumerable.Range(0, data.Items).OrderByDescending(i => data.Popularity[i]).ThenBy(i => i).ToArray();
        double recall = 0, ndcg = 0;
        for (int u = 0; u < data.Users; u++)
        {
            var top = byPopularity.Where(i => !data.TrainSet[u].Contains(i)).Take(K).ToArray();
            var (re, nd) = Score(top, data.Test[u]);
            recall += re; ndcg += nd;
        }
        return (recall / data.Users, ndcg / data.Users);
    }

    /// <summary>Recall@K and NDCG@K (binary gains) of one ranked list.</summary>
    static (double Recall, double Ndcg) Score(ReadOnlySpan<int> ranked, int[] relevant)
    {
        int hits = 0;
        double dcg = 0, idcg = 0;
        for (int r = 0; r < ranked.Length; r++)
            if (Array.IndexOf(relevant, ranked[r]) >= 0) { hits++; dcg += 1 / Math.Log2(r + 2); }
        for (int r = 0; r < Math.Min(relevant.Length, ranked.Length); r++) idcg += 1 / Math.Log2(r + 2);
        return ((double)hits / relevant.Length, dcg / idcg);
    }

    static int[] Recommend(PlantedData data, Tensor users, Tensor items, int user, int k)
    {
        var one = new Tensor(1, users.Cols, users.Row(user).ToArray());
        var scores = Gemm.Multiply(one, items, transB: true);
        data.MaskTrain(user, scores.Row(0));
        var top = new int[k];
        TopK.PerRow(scores, k, top, new float[k]);
        return top;
    }
}
