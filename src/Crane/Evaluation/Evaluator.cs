using Crane.Data;
using Crane.Models;
using Crane.Numerics;

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
    /// <summary>
    /// Evaluates <paramref name="model"/> on one split of <paramref name="data"/>: every user with
    /// an interaction in the split and one in train is scored against all items in batches of
    /// <see cref="EvaluationOptions.UserBatchSize"/>, its training items are set to −∞, and the
    /// top max(K) are compared with its items in the split (<see cref="Metrics"/> gives the
    /// definitions). Averages are over users; they are all 0 when no user is evaluated.
    /// </summary>
    /// <remarks>
    /// The result is bit-identical for any batch size and thread count (given a model whose
    /// scores do not depend on the batching, as <see cref="Scorer.Score(ReadOnlySpan{int}, Tensor)"/> requires): each
    /// user's metrics go into its own slot and the slots are summed in user order at the end.
    /// Batches run one after another, so only one batch of scores (batch × items floats) is
    /// held; the work inside a batch (scoring, masking, top-k, metrics) is parallel over rows.
    /// A relevant item that is also a training item counts in |relevant| but is never a hit.
    /// </remarks>
    /// <exception cref="ArgumentException">A cut-off is not positive or appears twice, or the batch size is not positive.</exception>
    public static MetricSet Evaluate(Recommender model, Dataset data, Split split, EvaluationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Evaluate(model.CreateScorer, data, split, options);
    }

    /// <summary>
    /// <see cref="Evaluate(Recommender, Dataset, Split, EvaluationOptions?)"/> with a scorer made
    /// already (e.g. a loaded model's); its users and items must be <paramref name="data"/>'s.
    /// </summary>
    public static MetricSet Evaluate(Scorer scorer, Dataset data, Split split, EvaluationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(scorer);
        ArgumentNullException.ThrowIfNull(data);
        if (scorer.UserCount != data.UserCount || scorer.ItemCount != data.ItemCount)
            throw new ArgumentException($"The scorer has {scorer.UserCount} users and {scorer.ItemCount} items, but dataset '{data.Name}' has {data.UserCount} and {data.ItemCount}.", nameof(data));
        return Evaluate(() => scorer, data, split, options);
    }

    // The scorer is made only when some user is evaluated (a model's scorer can cost a full forward pass).
    static MetricSet Evaluate(Func<Scorer> scorer, Dataset data, Split split, EvaluationOptions? options)
    {
        ArgumentNullException.ThrowIfNull(data);
        options ??= new EvaluationOptions();
        var ks = SortedCutoffs(options.Cutoffs);
        if (options.UserBatchSize < 1)
            throw new ArgumentException($"The user batch size must be at least 1, got {options.UserBatchSize}.", nameof(options));

        var target = data[split];
        var relevant = CsrMatrix.FromCoo(data.UserCount, data.ItemCount, target.Users, target.Items, Ones(target.Count));
        var train = data.TrainMatrix;
        var (users, cold) = EvaluatedUsers(relevant, train);

        int stride = Metrics.Names.Length * ks.Length;
        var perUser = new double[(long)users.Length * stride];
        if (users.Length > 0)
        {
            new RankingPass(scorer(), train, relevant, ks).Run(users, options.UserBatchSize, perUser);
        }
        return new MetricSet(Average(perUser, users.Length, ks), users.Length, cold);
    }

    static int[] SortedCutoffs(int[] cutoffs)
    {
        if (cutoffs.Length == 0) throw new ArgumentException("At least one cut-off K is needed.", nameof(cutoffs));
        foreach (int k in cutoffs)
            if (k < 1) throw new ArgumentException($"Cut-off K must be at least 1, got {k}.", nameof(cutoffs));
        var sorted = cutoffs.Order().ToArray();
        for (int i = 1; i < sorted.Length; i++)
            if (sorted[i] == sorted[i - 1]) throw new ArgumentException($"Cut-off K = {sorted[i]} is given twice.", nameof(cutoffs));
        return sorted;
    }

    static float[] Ones(int count)
    {
        var ones = new float[count];
        Array.Fill(ones, 1f);
        return ones;
    }

    /// <summary>Users with a row in the split, ascending; those without a training row are counted, not kept.</summary>
    static (int[] Users, int Cold) EvaluatedUsers(CsrMatrix relevant, CsrMatrix train)
    {
        var users = new List<int>();
        int cold = 0;
        for (int u = 0; u < relevant.Rows; u++)
        {
            if (relevant.RowPtr[u + 1] == relevant.RowPtr[u]) continue;
            if (train.RowPtr[u + 1] == train.RowPtr[u]) cold++;
            else users.Add(u);
        }
        return (users.ToArray(), cold);
    }

    /// <summary>Means over users, summed in user order (so the bits never depend on batching or threads).</summary>
    static Dictionary<string, double> Average(double[] perUser, int users, int[] ks)
    {
        int stride = Metrics.Names.Length * ks.Length;
        var sums = new double[stride];
        for (int u = 0; u < users; u++)
            for (int m = 0; m < stride; m++)
                sums[m] += perUser[(long)u * stride + m];
        var values = new Dictionary<string, double>(stride, StringComparer.Ordinal);
        for (int m = 0; m < Metrics.Names.Length; m++)
            for (int j = 0; j < ks.Length; j++)
                values[$"{Metrics.Names[m]}@{ks[j]}"] = users == 0 ? 0 : sums[m * ks.Length + j] / users;
        return values;
    }
}
