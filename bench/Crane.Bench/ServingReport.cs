using System.Diagnostics;
using System.Numerics.Tensors;
using Crane.Models;
using Crane.Numerics;
using Crane.Serving;

namespace Crane.Bench;

/// <summary>
/// `report serving`: in-process <see cref="TrainedModel.Recommend"/> latency and
/// <see cref="TrainedModel.RecommendMany"/> throughput at TikTok and Electronics size, beside the
/// reference measured in the same run: one plain GEMV (a TensorPrimitives.Dot per item row) and a top-k of the row.
/// </summary>
internal static class ServingReport
{
    const int K = 10, Calls = 3000, ManyUsers = 4096;

    public static void Run(string[] args)
    {
        var options = new ReportArgs("report serving", args);
        int[] threadCounts = options.Value("--threads", "1,2").Split(',').Select(int.Parse).ToArray();
        Console.WriteLine($"report serving: k = {K}, {Calls} single-user calls, {ManyUsers} users per batch; {ReportTiming.CpuModel()}, {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd}");
        Console.WriteLine("| catalogue | threads | reference GEMV (a Dot per item row) + top-k, p50 / p99 (ms) | Recommend p50 / p99 (ms) | Recommend ÷ reference (p50) | RecommendMany (users/s) | one by one (users/s) | RecommendMany ÷ one by one |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (name, users, items) in ServingModels.Shapes)
        {
            var built = ServingModels.Random(users, items);
            foreach (int threads in threadCounts)
            {
                var model = built.WithThreads(threads);
                var rng = new Rng(7);
                var ids = Enumerable.Range(0, Calls).Select(_ => $"u{rng.NextInt(users)}").ToArray();
                var batch = Enumerable.Range(0, ManyUsers).Select(_ => $"u{rng.NextInt(users)}").ToArray();
                var scorer = (InnerProductScorer)model.Scorer;

                var reference = Latencies(ids, id => PlainGemv(scorer, int.Parse(id.AsSpan(1))));
                var recommend = Latencies(ids, id => model.Recommend(id, K));
                double many = Throughput(() => model.RecommendMany(batch, K), ManyUsers);
                double oneByOne = Throughput(() => { foreach (var id in batch) model.Recommend(id, K); }, ManyUsers);
                Console.WriteLine($"| {name} ({users:N0} users × {items:N0} items × 64) | {threads} | {reference.P50:F3} / {reference.P99:F3} | {recommend.P50:F3} / {recommend.P99:F3} | " +
                    $"{recommend.P50 / reference.P50:F2} | {many:N0} | {oneByOne:N0} | {many / oneByOne:F1} |");
            }
        }
    }

    /// <summary>The reference: u·Iᵀ by one dot product per item row, then the top k; no masking, no ids.</summary>
    static void PlainGemv(InnerProductScorer scorer, int user)
    {
        var u = scorer.UserVector(user);
        var row = new Tensor(1, scorer.ItemCount);
        for (int i = 0; i < row.Cols; i++) row.Data[i] = TensorPrimitives.Dot(u, scorer.ItemVector(i));
        var (indices, values) = (new int[K], new float[K]);
        TopK.PerRow(row, K, indices, values);
    }

    /// <summary>p50 and p99 of one call per id in milliseconds, after a warm-up of 200 calls.</summary>
    static (double P50, double P99) Latencies(string[] ids, Action<string> call)
    {
        foreach (var id in ids.Take(200)) call(id);
        var ms = new double[ids.Length];
        for (int n = 0; n < ids.Length; n++)
        {
            long start = Stopwatch.GetTimestamp();
            call(ids[n]);
            ms[n] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        Array.Sort(ms);
        return (ms[ms.Length / 2], ms[(int)(ms.Length * 0.99)]);
    }

    /// <summary>Users per second of <paramref name="run"/> (which serves <paramref name="users"/> users): the best of three after one warm-up.</summary>
    static double Throughput(Action run, int users)
    {
        run();
        return Enumerable.Range(0, 3).Max(_ => users / ReportTiming.Time(run));
    }
}
