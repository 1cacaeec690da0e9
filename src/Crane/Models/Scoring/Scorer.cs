using Crane.Numerics;

namespace Crane.Models;

/// <summary>
/// What a trained model scores with, computed once from its parameters
/// (<see cref="Recommender.CreateScorer"/>). It never changes afterwards, so any number of threads
/// may call it at once; users and items are internal ids (<see cref="Data.IdMap"/> maps raw ids).
/// </summary>
public abstract class Scorer
{
    /// <summary>A scorer of <paramref name="users"/> users and <paramref name="items"/> items for a model of <paramref name="kind"/>.</summary>
    protected Scorer(string kind, int users, int items)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(users);
        ArgumentOutOfRangeException.ThrowIfNegative(items);
        (Kind, UserCount, ItemCount) = (kind, users, items);
    }

    /// <summary>The kind of model that made it (e.g. "lightgcn").</summary>
    public string Kind { get; }

    /// <summary>Users it can score (internal ids 0 … UserCount − 1).</summary>
    public int UserCount { get; }

    /// <summary>Items it scores (internal ids 0 … ItemCount − 1).</summary>
    public int ItemCount { get; }

    /// <summary>
    /// Scores of <paramref name="users"/> against every item into <paramref name="scores"/>
    /// (users.Length × <see cref="ItemCount"/>). A user's row never depends on the other users of
    /// the call, so evaluation gives the same bits for any batch size.
    /// </summary>
    public abstract void Score(ReadOnlySpan<int> users, Tensor scores);

    /// <summary>
    /// Scores of one <paramref name="user"/> for <paramref name="items"/> only: the scores the full
    /// row gives those items, to float rounding (a scorer may sum in another order). The default
    /// scores the full row and picks.
    /// </summary>
    public virtual void Score(int user, ReadOnlySpan<int> items, Span<float> scores)
    {
        RequireLengths(items.Length, scores.Length);
        var row = new Tensor(1, ItemCount);
        Score([RequireUser(user)], row);
        for (int k = 0; k < items.Length; k++) scores[k] = row.Data[RequireItem(items[k])];
    }

    /// <summary>
    /// How alike every item is to <paramref name="item"/>, into <paramref name="similarities"/>
    /// (length <see cref="ItemCount"/>; higher is more alike).
    /// </summary>
    /// <exception cref="NotSupportedException">The model has no item representation to compare (the default).</exception>
    public virtual void ItemSimilarities(int item, Span<float> similarities) =>
        throw new NotSupportedException($"Model '{Kind}' scores items through a per-user network and has no item vectors, so it cannot find similar items.");

    /// <summary>Checks that <paramref name="scores"/> is users × items for <paramref name="users"/>.</summary>
    protected void RequireShape(ReadOnlySpan<int> users, Tensor scores)
    {
        if (scores.Rows != users.Length || scores.Cols != ItemCount)
            throw new ArgumentException($"Scores must be {users.Length}×{ItemCount} (users × items), not {scores.ShapeText}.", nameof(scores));
        foreach (int u in users) RequireUser(u);
    }

    /// <summary><paramref name="user"/>, when it is an internal user id of this scorer.</summary>
    protected int RequireUser(int user) => (uint)user < (uint)UserCount ? user
        : throw new ArgumentOutOfRangeException(nameof(user), user, $"User {user} is outside the model's {UserCount} users.");

    /// <summary><paramref name="item"/>, when it is an internal item id of this scorer.</summary>
    protected int RequireItem(int item) => (uint)item < (uint)ItemCount ? item
        : throw new ArgumentOutOfRangeException(nameof(item), item, $"Item {item} is outside the model's {ItemCount} items.");

    /// <summary>Checks that an output span matches its input span's length.</summary>
    protected static void RequireLengths(int inputs, int outputs)
    {
        if (inputs != outputs) throw new ArgumentException($"{outputs} output slots for {inputs} inputs.");
    }
}
