using Crane.Data;
using Crane.Models;
using Crane.Numerics;

namespace Crane.Serving;

/// <summary>One recommended item.</summary>
/// <param name="Item">Internal item id.</param>
/// <param name="RawItem">The item's id in the user's files.</param>
/// <param name="Score">The model's score, or the training interaction count for popularity.</param>
public sealed record Recommendation(int Item, string RawItem, float Score);

/// <summary>Top-k items for a user from a trained model, or the most popular items as a fallback.</summary>
public static class Recommendations
{
    /// <summary>
    /// The <paramref name="k"/> best-scored items for internal user <paramref name="user"/>, best
    /// first (ties to the lower item id); the user's training items are left out unless
    /// <paramref name="includeSeen"/>.
    /// </summary>
    public static IReadOnlyList<Recommendation> ForUser(Recommender model, Dataset data, int user, int k, bool includeSeen = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        ArgumentOutOfRangeException.ThrowIfNegative(user);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(user, data.UserCount);
        var scores = new Tensor(1, data.ItemCount);
        model.PrepareForScoring();
        model.Score([user], scores);
        if (!includeSeen) Mask(scores.Row(0), data.TrainMatrix.RowIndices(user));
        return Top(data, scores, k);
    }

    /// <summary>
    /// The <paramref name="k"/> items with the most training interactions (ties to the lower item
    /// id), leaving out <paramref name="user"/>'s training items when a user is given.
    /// </summary>
    public static IReadOnlyList<Recommendation> MostPopular(Dataset data, int k, int? user = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        var counts = new Tensor(1, data.ItemCount);
        foreach (int item in data.Train.Items) counts.Data[item] += 1f;
        if (user is int u && u >= 0 && u < data.UserCount) Mask(counts.Row(0), data.TrainMatrix.RowIndices(u));
        return Top(data, counts, k);
    }

    static void Mask(Span<float> row, ReadOnlySpan<int> items)
    {
        foreach (int item in items) row[item] = float.NegativeInfinity;
    }

    static Recommendation[] Top(Dataset data, Tensor scores, int k)
    {
        k = Math.Min(k, data.ItemCount);
        var (indices, values) = (new int[k], new float[k]);
        TopK.PerRow(scores, k, indices, values);
        // A masked item (−∞) is never a recommendation, even when fewer than k others remain.
        return indices.Zip(values)
            .TakeWhile(p => p.First >= 0 && p.Second > float.NegativeInfinity)
            .Select(p => new Recommendation(p.First, data.ItemIds.Raw(p.First), p.Second))
            .ToArray();
    }
}
