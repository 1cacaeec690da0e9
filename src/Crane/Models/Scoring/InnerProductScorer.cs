using System.Numerics.Tensors;
using Crane.Numerics;

namespace Crane.Models;

/// <summary>
/// The scorer of every inner-product model: a user table U (M×d) and an item table I (N×d), score
/// ⟨u, i⟩; similar items by the cosine of item rows. It owns its tables: nothing else writes them.
/// </summary>
public sealed class InnerProductScorer : Scorer
{
    readonly Tensor _users, _items;
    readonly RowPanels _itemPanels;
    readonly Lazy<Tensor> _unitItems;

    /// <summary>A scorer over <paramref name="users"/> and <paramref name="items"/>, which it takes over (callers must not change them afterwards).</summary>
    public InnerProductScorer(string kind, Tensor users, Tensor items) : base(kind, users.Rows, items.Rows)
    {
        if (users.Cols != items.Cols)
            throw new ArgumentException($"User rows have {users.Cols} columns but item rows have {items.Cols}; an inner product needs the same width.");
        (_users, _items) = (users, items);
        // Packed once for single users: a GEMM of one row would repack the whole item table per call.
        _itemPanels = new RowPanels(items);
        _unitItems = new Lazy<Tensor>(() => UnitRows(_items), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Width d of the user and item vectors.</summary>
    public int Dimension => _items.Cols;

    /// <summary>User <paramref name="user"/>'s vector u.</summary>
    public ReadOnlySpan<float> UserVector(int user) => _users.Row(RequireUser(user));

    /// <summary>Item <paramref name="item"/>'s vector i.</summary>
    public ReadOnlySpan<float> ItemVector(int item) => _items.Row(RequireItem(item));

    /// <summary>The user table (read it only).</summary>
    internal Tensor Users => _users;

    /// <summary>The item table (read it only).</summary>
    internal Tensor Items => _items;

    /// <summary>
    /// U[users]·Iᵀ: fewer users than a GEMM micro-tile's rows go one by one through the packed
    /// item panels, more through one GEMM; both sum each score alike, so the bits are the same.
    /// </summary>
    public override void Score(ReadOnlySpan<int> users, Tensor scores)
    {
        RequireShape(users, scores);
        if (users.Length < GemmKernels.MR)
        {
            for (int b = 0; b < users.Length; b++) _itemPanels.Multiply(_users.Row(users[b]), scores.Row(b));
            return;
        }
        var rows = new Tensor(users.Length, _users.Cols);
        RowOps.GatherRows(_users, users, rows);
        Gemm.Multiply(rows, false, _items, true, scores);
    }

    /// <inheritdoc />
    public override void Score(int user, ReadOnlySpan<int> items, Span<float> scores)
    {
        RequireLengths(items.Length, scores.Length);
        var u = UserVector(user);
        for (int k = 0; k < items.Length; k++) scores[k] = TensorPrimitives.Dot(u, ItemVector(items[k]));
    }

    /// <summary>cos(i, j) for every item j: item rows are compared by direction, so a popular item's long vector does not make it similar to everything.</summary>
    public override void ItemSimilarities(int item, Span<float> similarities)
    {
        RequireLengths(ItemCount, similarities.Length);
        var unit = _unitItems.Value;
        var one = new Tensor(1, Dimension, unit.Row(RequireItem(item)).ToArray());
        var row = new Tensor(1, ItemCount);
        Gemm.Multiply(one, false, unit, true, row);
        row.Data.CopyTo(similarities);
    }

    static Tensor UnitRows(Tensor table)
    {
        var unit = new Tensor(table.Rows, table.Cols);
        for (int r = 0; r < table.Rows; r++)
        {
            float norm = TensorPrimitives.Norm(table.Row(r));
            if (norm > 0) TensorPrimitives.Divide(table.Row(r), norm, unit.Row(r));
        }
        return unit;
    }
}
