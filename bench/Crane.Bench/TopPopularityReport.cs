using Crane.Data;
using Crane.Models;
using Crane.Numerics;
using Crane.Serving;

namespace Crane.Bench;

/// <summary>
/// `report top-popularity --data DIR MODEL.crane …`: for each saved model, over the validation
/// users, how popular (training degree) the items it puts in its top 5 are, how much of its top 5
/// the 1 % most popular items take, and its Hit@5 / Hit@20 by the popularity third of the held-out
/// item — to see whether a model's weaker top ranks come from the head or from the tail.
/// </summary>
public static class TopPopularityReport
{
    internal static void Run(string[] args)
    {
        var arguments = new ReportArgs("report top-popularity", args);
        var data = arguments.Data("../shared/data/tiktok");
        var degree = new int[data.ItemCount];
        foreach (int i in data.Train.Items) degree[i]++;
        var byDegree = Enumerable.Range(0, data.ItemCount).OrderByDescending(i => degree[i]).ToArray();
        var head = byDegree.Take(Math.Max(1, data.ItemCount / 100)).ToHashSet();
        var third = new int[data.ItemCount];   // 0 = most popular third
        for (int r = 0; r < byDegree.Length; r++) third[byDegree[r]] = 3 * r / byDegree.Length;
        var train = data.Train.Users.Zip(data.Train.Items).GroupBy(p => p.First).ToDictionary(g => g.Key, g => g.Select(p => p.Second).ToHashSet());
        var valid = data.Valid.Users.Zip(data.Valid.Items).GroupBy(p => p.First).Where(g => train.ContainsKey(g.Key)).ToDictionary(g => g.Key, g => g.Select(p => p.Second).ToArray());
        Console.WriteLine($"{data.Name}: {valid.Count} validation users; item degree mean {degree.Average():F1}, median {byDegree.Select(i => degree[i]).ElementAt(byDegree.Length / 2)}");
        Console.WriteLine("model | mean degree of top-5 items | top-5 slots held by the 1 % most popular | Hit@5 head/mid/tail thirds (held-out items per third) | Hit@20 head/mid/tail");
        foreach (var path in arguments.Positional)
        {
            var model = TrainedModel.Load(path).Scorer;
            int[] users = valid.Keys.Order().ToArray();
            var scores = new Tensor(1, data.ItemCount);
            int[] top = new int[20];
            float[] topValues = new float[20];
            double degreeSum = 0; int slots = 0, headSlots = 0;
            var hits5 = new int[3]; var hits20 = new int[3]; var heldOut = new int[3];
            foreach (int u in users)
            {
                model.Score([u], scores);
                foreach (int i in train[u]) scores[0, i] = float.NegativeInfinity;   // training items masked, as the evaluator does
                TopK.PerRow(scores, 20, top, topValues);
                foreach (int i in top.Take(5)) { degreeSum += degree[i]; slots++; if (head.Contains(i)) headSlots++; }
                foreach (int target in valid[u])
                {
                    heldOut[third[target]]++;
                    int rank = Array.IndexOf(top, target);
                    if (rank >= 0 && rank < 5) hits5[third[target]]++;
                    if (rank >= 0) hits20[third[target]]++;
                }
            }
            string Rates(int[] hits) => string.Join("/", Enumerable.Range(0, 3).Select(t => (hits[t] / (double)Math.Max(1, heldOut[t])).ToString("F3", System.Globalization.CultureInfo.InvariantCulture)));
            Console.WriteLine($"{path} | {degreeSum / slots:F1} | {headSlots / (double)slots:P1} | {Rates(hits5)} ({string.Join("/", heldOut)}) | {Rates(hits20)}");
        }
    }
}
