using Crane.Data;
using Crane.Evaluation;
using Crane.Models;

namespace Crane.Tests.Training;

/// <summary>
/// An evaluation whose validation Recall@20 follows a script (one value per epoch), recording each
/// call with the model's parameters at that moment, so tests can check what the trainer kept.
/// </summary>
internal sealed class ScriptedEvaluation(TinyMf model, double[] validation, double[]? test = null)
{
    public List<(Split Split, float[][] Parameters)> Calls { get; } = [];

    public MetricSet Evaluate(Recommender evaluated, Dataset data, Split split)
    {
        Assert.Same(model, evaluated);
        Calls.Add((split, model.Snapshot()));
        int validCalls = Calls.Count(c => c.Split == Split.Valid);
        int testCalls = Calls.Count(c => c.Split == Split.Test);
        double recall = split == Split.Valid ? validation[validCalls - 1] : test?[Math.Min(testCalls, test.Length) - 1] ?? 0.5;
        return Metrics(recall);
    }

    /// <summary>Parameters seen at the n-th validation call (1-based = epoch).</summary>
    public float[][] ParametersAtEpoch(int epoch) => Calls.Where(c => c.Split == Split.Valid).ElementAt(epoch - 1).Parameters;

    public static MetricSet Metrics(double recall20) => new(new Dictionary<string, double>
    {
        ["recall@20"] = recall20,
        ["ndcg@20"] = recall20 / 2,
    }, UsersEvaluated: 12, ColdUsersDropped: 0);
}
