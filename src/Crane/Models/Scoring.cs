using Crane.Numerics;

namespace Crane.Models;

/// <summary>Pieces the inner-product models share for training batches and scoring.</summary>
internal static class Scoring
{
    /// <summary>
    /// scores = U[users]·Iᵀ: the batch's user rows gathered, then one GEMM against every item
    /// row. Each score is one dot product, so it does not depend on how users are batched.
    /// </summary>
    public static void InnerProducts(Tensor userTable, ReadOnlySpan<int> users, Tensor itemTable, Tensor scores)
    {
        if (scores.Rows != users.Length || scores.Cols != itemTable.Rows)
            throw new ArgumentException($"Scores must be {users.Length}×{itemTable.Rows} (users × items), not {scores.ShapeText}.", nameof(scores));
        var rows = new Tensor(users.Length, userTable.Cols);
        RowOps.GatherRows(userTable, users, rows);
        Gemm.Multiply(rows, false, itemTable, true, scores);
    }

    /// <summary>
    /// <see cref="InnerProducts(Tensor, ReadOnlySpan{int}, Tensor, Tensor)"/> on tables that
    /// PrepareForScoring fills; throws, naming the model, when it has not been called.
    /// </summary>
    public static void InnerProducts(Tensor? userTable, ReadOnlySpan<int> users, Tensor? itemTable, Tensor scores, string kind)
    {
        if (userTable is null || itemTable is null)
            throw new InvalidOperationException($"Call {nameof(Recommender.PrepareForScoring)} before {nameof(Recommender.Score)}: {kind} scores with the propagated tables.");
        InnerProducts(userTable, users, itemTable, scores);
    }

    /// <summary>The batch's (user, positive, negative) triples; throws when the batch has none.</summary>
    public static void RequireTriples(TrainingBatch batch, string kind)
    {
        if (batch.Positives.Length != batch.Users.Length || batch.Negatives.Length != batch.Users.Length || batch.Users.Length == 0)
            throw new ArgumentException(
                $"Model '{kind}' trains on BPR triples, but the batch has {batch.Users.Length} users, {batch.Positives.Length} positives and {batch.Negatives.Length} negatives.");
    }

    /// <summary>Item ids as rows of a table that holds the users first: item i is row offset + i.</summary>
    public static int[] Shift(int[] items, int offset)
    {
        var rows = new int[items.Length];
        for (int k = 0; k < items.Length; k++) rows[k] = offset + items[k];
        return rows;
    }

    /// <summary>
    /// A model's representation tables as <paramref name="tables"/> reads them, calling
    /// <see cref="Recommender.PrepareForScoring"/> first when they are not computed yet.
    /// </summary>
    public static (Tensor Users, Tensor Items) Prepared(Recommender model, Func<(Tensor? Users, Tensor? Items)> tables)
    {
        var (users, items) = tables();
        if (users is null || items is null)
        {
            model.PrepareForScoring();
            (users, items) = tables();
        }
        return (users ?? throw new InvalidOperationException($"Model '{model.Kind}' prepared no user table."),
                items ?? throw new InvalidOperationException($"Model '{model.Kind}' prepared no item table."));
    }
}
