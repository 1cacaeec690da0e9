using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using Crane.Data;
using Crane.Evaluation;
using Crane.Models;
using Crane.Numerics;

namespace Crane.Bench;

/// <summary>
/// One full evaluation pass (every test user against all items, top-50, metrics at 5/10/20/50)
/// of a d = 64 dot-product model on Amazon Baby's real split when shared/data has it, else on a
/// random dataset of Baby's size (19,445 users × 7,050 items, about 6 training and 2 test items
/// per user). Baseline: the same score products alone (gather + GEMM per batch of users into
/// one reused buffer), so the ratio shows the cost of masking, top-k and metrics; a middle row
/// adds only the top-50 to the products.
/// </summary>
[Config(typeof(Config))]
[MemoryDiagnoser]
public class EvaluationBenchmarks
{
    const int Dimension = 64, MaxK = 50;

    Dataset _data = null!;
    Scorer _scorer = null!;
    int[] _testUsers = [];
    Tensor _scores = null!;
    int[] _top = [];
    float[] _topValues = [];

    [Params(1, 2)]
    public int Threads { get; set; }

    [Params(256, 2048)]
    public int BatchSize { get; set; }

    sealed class Config : ManualConfig
    {
        public Config() => AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(2).WithIterationCount(8));
    }

    [GlobalSetup]
    public void Setup()
    {
        Parallelism.Threads = Threads;
        bool real = SharedFiles.Find(BabyGraph.SharedPath) is not null;
        _data = real ? BabyGraph.Data : RandomBabySized();
        Console.WriteLine($"// Evaluation data: {(real ? "real Amazon Baby split" : "random, Baby-sized")}: {_data.UserCount} users, {_data.ItemCount} items, {_data.Train.Count} train, {_data.Test.Count} test rows");
        _scorer = DotProductModel.Random(_data.UserCount, _data.ItemCount, Dimension, seed: 1).CreateScorer();
        _testUsers = _data.Test.Users.Distinct().Order().ToArray();
        _scores = new Tensor(BatchSize, _data.ItemCount);
        _top = new int[BatchSize * MaxK];
        _topValues = new float[BatchSize * MaxK];
    }

    [GlobalCleanup]
    public void Cleanup() => Parallelism.Threads = Environment.ProcessorCount;

    [Benchmark(Baseline = true)]
    public void ScoreProductsOnly() => ScoreBatches(topK: false);

    /// <summary>The products plus top-50 of every row (no masking, no metrics): splits the overhead.</summary>
    [Benchmark]
    public void ScoreProductsAndTopK() => ScoreBatches(topK: true);

    void ScoreBatches(bool topK)
    {
        for (int start = 0; start < _testUsers.Length; start += BatchSize)
        {
            int size = Math.Min(BatchSize, _testUsers.Length - start);
            var scores = size == BatchSize ? _scores : new Tensor(size, _data.ItemCount);
            _scorer.Score(_testUsers.AsSpan(start, size), scores);
            if (topK) TopK.PerRow(scores, MaxK, _top, _topValues);
        }
    }

    [Benchmark]
    public MetricSet FullEvaluation() => Evaluator.Evaluate(_scorer, _data, Split.Test, new EvaluationOptions(UserBatchSize: BatchSize));

    static Dataset RandomBabySized()
    {
        const int users = 19_445, items = 7_050;
        var rng = Rng.ForStream(2, "bench-interactions");
        var (train, test) = ((new List<int>(), new List<int>()), (new List<int>(), new List<int>()));
        var chosen = new HashSet<int>();
        for (int u = 0; u < users; u++)
        {
            chosen.Clear();
            int nTrain = 3 + rng.NextInt(7), nTest = 1 + rng.NextInt(3);
            while (chosen.Count < nTrain + nTest) chosen.Add(rng.NextInt(items));
            int n = 0;
            foreach (int i in chosen)
            {
                var part = n++ < nTrain ? train : test;
                part.Item1.Add(u);
                part.Item2.Add(i);
            }
        }
        return new Dataset
        {
            Name = "random-baby", UserCount = users, ItemCount = items,
            Train = new Interactions([.. train.Item1], [.. train.Item2]), Valid = Interactions.Empty,
            Test = new Interactions([.. test.Item1], [.. test.Item2]),
            UserIds = IdMap.Identity(users), ItemIds = IdMap.Identity(items),
        };
    }
}
