using Crane.Data;
using Crane.Evaluation;
using Crane.Numerics;
using static System.Math;

namespace Crane.Tests.Evaluation;

public class EvaluatorTests
{
    const double Tolerance = 1e-12;

    /// <summary>
    /// Five users, six items. User 3 has a test item but no training item (cold: dropped and
    /// counted); user 4 has no test item (not evaluated). Rankings after masking training items:
    /// user 0 (train {0}, test {1, 3}): scores 2:5, 3:4, 5:3, 1:1, 4:0 → hits at ranks [–, ✓, –];
    /// user 1 (train {4, 5}, test {0}): 0:2, 1:1, 3:0.5, 2:0 → hits [✓, –, –];
    /// user 2 (train {1}, test {0, 2, 4}): 3:5, 4:3, 2:2, 0:1, 5:0 → hits [–, ✓, ✓].
    /// </summary>
    static (Dataset Data, FixedScoresModel Model) HandBuilt()
    {
        var data = TestDatasets.FromPairs(5, 6,
            train: [(0, 0), (1, 4), (1, 5), (2, 1), (4, 2)],
            test: [(0, 1), (0, 3), (1, 0), (2, 0), (2, 2), (2, 4), (3, 5)]);
        var scores = Tensor.FromArray(new float[,]
        {
            { 9, 1, 5, 4, 0, 3 },
            { 2, 1, 0, 0.5f, 10, 8 },
            { 1, 6, 2, 5, 3, 0 },
            { 0, 0, 0, 0, 0, 1 },
            { 0, 0, 0, 0, 0, 0 },
        });
        return (data, new FixedScoresModel(scores));
    }

    [Fact]
    public void HandBuiltCaseMatchesHandCalculation()
    {
        var (data, model) = HandBuilt();
        var m = Evaluator.Evaluate(model, data, Split.Test, new EvaluationOptions([1, 2, 3], UserBatchSize: 2));

        Assert.Equal(3, m.UsersEvaluated);
        Assert.Equal(1, m.ColdUsersDropped);
        Assert.Equal(1, model.ScorersCreated);

        double d2 = 1 / Log2(3), d3 = 1 / Log2(4); // discounts of ranks 2 and 3 (rank 1: 1/log2(2) = 1)
        // K = 1: only user 1 hits at rank 1 (recall 1/1, NDCG 1/1, precision 1/1, MAP 1/min(1,1), hit 1).
        Expect(m, 1, recall: 1.0 / 3, ndcg: 1.0 / 3, precision: 1.0 / 3, map: 1.0 / 3, hit: 1.0 / 3);
        // K = 2: user 0: 1 hit of 2 (recall 1/2), DCG d2, IDCG over min(2,2): 1 + d2, precision 1/2,
        //   MAP = (1/2 at rank 2) / min(2,2) = 1/4; user 1: recall 1, NDCG 1, precision 1/2, MAP 1/min(1,2) = 1;
        //   user 2: 1 hit of 3 (recall 1/3), DCG d2, IDCG over min(3,2): 1 + d2, precision 1/2, MAP (1/2) / 2 = 1/4.
        Expect(m, 2,
            recall: (1.0 / 2 + 1 + 1.0 / 3) / 3,
            ndcg: (d2 / (1 + d2) + 1 + d2 / (1 + d2)) / 3,
            precision: (1.0 / 2 + 1.0 / 2 + 1.0 / 2) / 3,
            map: (1.0 / 4 + 1 + 1.0 / 4) / 3,
            hit: 1);
        // K = 3: user 0 unchanged but precision 1/3; user 1 precision 1/3; user 2: 2 hits of 3
        //   (recall 2/3), DCG d2 + d3, IDCG over min(3,3): 1 + d2 + d3, precision 2/3,
        //   MAP = (1/2 at rank 2 + 2/3 at rank 3) / min(3,3) = 7/18.
        Expect(m, 3,
            recall: (1.0 / 2 + 1 + 2.0 / 3) / 3,
            ndcg: (d2 / (1 + d2) + 1 + (d2 + d3) / (1 + d2 + d3)) / 3,
            precision: (1.0 / 3 + 1.0 / 3 + 2.0 / 3) / 3,
            map: (1.0 / 4 + 1 + 7.0 / 18) / 3,
            hit: 1);
        Assert.Equal(15, m.Values.Count);
    }

    static void Expect(MetricSet m, int k, double recall, double ndcg, double precision, double map, double hit)
    {
        Assert.Equal(recall, m[$"recall@{k}"], Tolerance);
        Assert.Equal(ndcg, m[$"ndcg@{k}"], Tolerance);
        Assert.Equal(precision, m[$"precision@{k}"], Tolerance);
        Assert.Equal(map, m[$"map@{k}"], Tolerance);
        Assert.Equal(hit, m[$"hit@{k}"], Tolerance);
    }

    [Fact]
    public void MatchesMmrecTranscriptionOnRandomRankings()
    {
        var data = TestDatasets.Random(300, 40, seed: 5, maxTrain: 10, maxTest: 8);
        var scores = TiedScores(data, seed: 6);
        int[] ks = [1, 3, 5, 10, 20];
        var m = Evaluator.Evaluate(new FixedScoresModel(scores), data, Split.Test, new EvaluationOptions(ks));

        // Brute-force ranking: training items out, sort by (score desc, item asc), first max(K).
        var train = Sets(data.Train, data.UserCount);
        var test = Sets(data.Test, data.UserCount);
        var evaluated = Enumerable.Range(0, data.UserCount).Where(u => test[u].Count > 0 && train[u].Count > 0).ToArray();
        var posIndex = evaluated.Select(u => Enumerable.Range(0, data.ItemCount)
            .Where(i => !train[u].Contains(i))
            .OrderByDescending(i => scores[u, i]).ThenBy(i => i)
            .Take(ks.Max()).Select(i => test[u].Contains(i))
            .Concat(Enumerable.Repeat(false, ks.Max())).Take(ks.Max()).ToArray()).ToArray();
        var expected = MmrecReference.Means(posIndex, evaluated.Select(u => test[u].Count).ToArray(), ks);

        Assert.Equal(evaluated.Length, m.UsersEvaluated);
        Assert.Equal(expected.Keys.Order(), m.Values.Keys.Order());
        foreach (var (key, value) in expected) Assert.Equal(value, m[key], Tolerance);
    }

    [Fact]
    public void MetricsLieInZeroOne()
    {
        var data = TestDatasets.Random(200, 30, seed: 1);
        var m = Evaluator.Evaluate(new FixedScoresModel(TiedScores(data, seed: 2)), data, Split.Test);
        Assert.Equal(20, m.Values.Count);
        Assert.All(m.Values, kv => Assert.InRange(kv.Value, 0, 1));
    }

    [Fact]
    public void PerfectRankingScoresOne()
    {
        // Every user has ≤ 4 test items, so at K ≥ 5 a ranking with them on top finds them all.
        var data = TestDatasets.Random(150, 60, seed: 3, maxTest: 4);
        var scores = new Tensor(data.UserCount, data.ItemCount);
        for (int e = 0; e < data.Test.Count; e++) scores[data.Test.Users[e], data.Test.Items[e]] = 1;
        var m = Evaluator.Evaluate(new FixedScoresModel(scores), data, Split.Test);
        foreach (int k in new[] { 5, 10, 20, 50 })
        {
            Assert.Equal(1.0, m[$"recall@{k}"], Tolerance);
            Assert.Equal(1.0, m[$"ndcg@{k}"], Tolerance);
            Assert.Equal(1.0, m[$"hit@{k}"], Tolerance);
            Assert.Equal(1.0, m[$"map@{k}"], Tolerance);
        }
    }

    [Fact]
    public void InvariantToTheOrderOfUsers()
    {
        var data = TestDatasets.Random(120, 25, seed: 7);
        var scores = TiedScores(data, seed: 8);
        var before = Evaluator.Evaluate(new FixedScoresModel(scores), data, Split.Test);

        // Relabel user u as π(u) everywhere: interactions and score rows.
        var pi = Enumerable.Range(0, data.UserCount).OrderBy(u => (u * 37) % 101).ThenBy(u => u).ToArray();
        var permutedScores = new Tensor(scores.Rows, scores.Cols);
        for (int u = 0; u < data.UserCount; u++) scores.Row(u).CopyTo(permutedScores.Row(pi[u]));
        var permuted = TestDatasets.FromPairs(data.UserCount, data.ItemCount,
            train: Relabel(data.Train, pi), test: Relabel(data.Test, pi));
        var after = Evaluator.Evaluate(new FixedScoresModel(permutedScores), permuted, Split.Test);

        Assert.Equal(before.UsersEvaluated, after.UsersEvaluated);
        // The same per-user values summed in another order: equal up to rounding.
        foreach (var (key, value) in before.Values) Assert.Equal(value, after[key], Tolerance);
    }

    [Fact]
    public void IndependentOfBatchSizeBitForBit()
    {
        var data = TestDatasets.Random(500, 80, seed: 9);
        var model = new FixedScoresModel(TiedScores(data, seed: 10));
        var reference = Evaluator.Evaluate(model, data, Split.Test, new EvaluationOptions(UserBatchSize: 2048));
        foreach (int batch in new[] { 1, 7, 64 })
        {
            var m = Evaluator.Evaluate(model, data, Split.Test, new EvaluationOptions(UserBatchSize: batch));
            Assert.Equal(reference.Values, m.Values); // exact equality of every double
        }
    }

    [Fact]
    public void ColdUsersAreDroppedAndCounted()
    {
        // Users 1 and 3 have validation rows but no training rows; user 2 has neither split's rows.
        var data = TestDatasets.FromPairs(4, 5, train: [(0, 0), (2, 1)], valid: [(0, 2), (1, 3), (3, 4), (3, 0)]);
        var m = Evaluator.Evaluate(new FixedScoresModel(new Tensor(4, 5)), data, Split.Valid);
        Assert.Equal(1, m.UsersEvaluated);
        Assert.Equal(2, m.ColdUsersDropped);
    }

    [Fact]
    public void TrainingItemsAreNeverRecommended()
    {
        // The model puts every training item far above everything else; masked, they take no slot,
        // so the single test item (scored next) is at rank 1. Item 2 of user 0 is both a training
        // and a test item: it counts in |relevant| but can never be a hit.
        var data = TestDatasets.FromPairs(2, 6,
            train: [(0, 0), (0, 1), (0, 2), (1, 3), (1, 4)],
            test: [(0, 5), (0, 2), (1, 0)]);
        var scores = Tensor.FromArray(new float[,]
        {
            { 100, 90, 95, 0, 0, 1 },
            { 1, 0, 0, 100, 90, 0 },
        });
        var m = Evaluator.Evaluate(new FixedScoresModel(scores), data, Split.Test, new EvaluationOptions([1, 6]));
        Assert.Equal((1.0 / 2 + 1) / 2, m["recall@1"], Tolerance);
        Assert.Equal(1.0, m["hit@1"], Tolerance);
        // At K = 6 the masked items fill the tail (−∞) but still do not count as hits.
        Assert.Equal((1.0 / 2 + 1) / 2, m["recall@6"], Tolerance);
    }

    [Fact]
    public void NoUsersGiveZeros()
    {
        var data = TestDatasets.FromPairs(2, 3, train: [(0, 0)]);
        var model = new FixedScoresModel(new Tensor(2, 3));
        var m = Evaluator.Evaluate(model, data, Split.Test);
        Assert.Equal(0, m.UsersEvaluated);
        Assert.All(m.Values, kv => Assert.Equal(0, kv.Value));
        Assert.Equal(0, model.ScoreCalls);
    }

    [Theory]
    [InlineData(new int[0], 16)]
    [InlineData(new[] { 0 }, 16)]
    [InlineData(new[] { 5, 5 }, 16)]
    [InlineData(new[] { 5 }, 0)]
    public void RejectsBadOptions(int[] ks, int batch)
    {
        var (data, model) = HandBuilt();
        Assert.Throws<ArgumentException>(() => Evaluator.Evaluate(model, data, Split.Test, new EvaluationOptions(ks, batch)));
    }

    /// <summary>Scores from a few distinct values (many ties, broken by the lower item index).</summary>
    internal static Tensor TiedScores(Dataset data, int seed)
    {
        var rng = new System.Random(seed);
        var scores = new Tensor(data.UserCount, data.ItemCount);
        for (int i = 0; i < scores.Length; i++) scores.Data[i] = rng.Next(6) == 0 ? rng.Next(3) : (float)rng.NextDouble();
        return scores;
    }

    static HashSet<int>[] Sets(Interactions pairs, int users)
    {
        var sets = Enumerable.Range(0, users).Select(_ => new HashSet<int>()).ToArray();
        for (int e = 0; e < pairs.Count; e++) sets[pairs.Users[e]].Add(pairs.Items[e]);
        return sets;
    }

    static (int, int)[] Relabel(Interactions pairs, int[] pi) =>
        Enumerable.Range(0, pairs.Count).Select(e => (pi[pairs.Users[e]], pairs.Items[e])).ToArray();
}
