using Crane.Data;
using Crane.Models;

namespace Crane.Evaluation;

/// <summary>Settings of a full-ranking evaluation.</summary>
/// <param name="Ks">Cut-offs (protocol.md: 5, 10, 20, 50).</param>
/// <param name="UserBatchSize">Users scored at once; results never depend on it.</param>
public sealed record EvaluationOptions(int[]? Ks = null, int UserBatchSize = 2048)
{
    /// <summary>The cut-offs in use.</summary>
    public int[] Cutoffs => Ks ?? [5, 10, 20, 50];
}

/// <summary>Metric averages over the evaluated users, e.g. <c>metrics["recall@20"]</c>.</summary>
/// <param name="Values">"recall@K", "ndcg@K", "precision@K", "map@K", "hit@K" for each K.</param>
/// <param name="UsersEvaluated">Users with at least one interaction in the split and one in train.</param>
/// <param name="ColdUsersDropped">Users with interactions in the split but none in train (MMRec drops them).</param>
public sealed record MetricSet(IReadOnlyDictionary<string, double> Values, int UsersEvaluated, int ColdUsersDropped)
{
    /// <summary>One metric by name.</summary>
    public double this[string name] => Values[name];
}

/// <summary>Full-ranking evaluation (protocol.md): every item scored, training items masked.</summary>
public static class Evaluator
{
    /// <summary>Evaluates <paramref name="model"/> on one split of <paramref name="data"/>.</summary>
    public static MetricSet Evaluate(Recommender model, Dataset data, Split split, EvaluationOptions? options = null) =>
        throw new NotImplementedException("Contract only: the evaluation engineer implements this.");
}
