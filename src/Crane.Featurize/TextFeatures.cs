using System.Numerics.Tensors;
using Crane.Data;
using Crane.Numerics;

namespace Crane.Featurize;

/// <summary>What to do with an item that has no text.</summary>
public enum MissingText
{
    /// <summary>Refuse, listing the items (the default: a silent zero row would look like content).</summary>
    Error,

    /// <summary>MMRec's rule: the item gets the mean of the other items' vectors.</summary>
    Mean,
}

/// <summary>A dataset's item text (row i = item i) turned into the <c>text</c> modality's feature table.</summary>
public static class TextFeatures
{
    /// <summary>
    /// The 384-d MiniLM embedding of every item's text, in item order; <paramref name="progress"/>
    /// hears after every 1,000 items and at the end (items done, items in all). An empty text is an
    /// error listing the items (first ten) unless <paramref name="missing"/> is <see cref="MissingText.Mean"/>.
    /// </summary>
    /// <exception cref="DataException">Items without text, with <see cref="MissingText.Error"/>; or no item has text.</exception>
    public static Tensor Compute(MiniLmTextEncoder encoder, IReadOnlyList<string> itemText, IdMap itemIds, string source,
        MissingText missing = MissingText.Error, Action<int, int>? progress = null)
    {
        var empty = Enumerable.Range(0, itemText.Count).Where(i => string.IsNullOrWhiteSpace(itemText[i])).ToArray();
        if (empty.Length > 0 && missing == MissingText.Error)
            throw new DataException(source, null, $"{empty.Length:N0} item(s) have no text: {string.Join(", ", empty.Take(10).Select(i => $"'{itemIds.Raw(i)}'"))}" +
                $"{(empty.Length > 10 ? ", …" : "")}. Add their text, or pass --missing mean (MMRec's rule: the mean of the other items' vectors).");
        if (empty.Length == itemText.Count) throw new DataException(source, null, "no item has text.");

        var table = new Tensor(itemText.Count, MiniLmTextEncoder.Dimension);
        var withText = Enumerable.Range(0, itemText.Count).Except(empty).ToArray();
        const int Block = 1000;
        for (int start = 0; start < withText.Length; start += Block)
        {
            var block = withText.AsSpan(start, Math.Min(Block, withText.Length - start)).ToArray();
            var rows = encoder.Encode(block.Select(i => itemText[i]).ToArray());
            for (int k = 0; k < block.Length; k++) rows.Row(k).CopyTo(table.Row(block[k]));
            progress?.Invoke(start + block.Length, withText.Length);
        }
        if (empty.Length > 0)
        {
            var mean = new float[MiniLmTextEncoder.Dimension];
            foreach (int i in withText) TensorPrimitives.Add(mean, table.Row(i), mean);
            TensorPrimitives.Divide(mean, withText.Length, mean);
            foreach (int i in empty) mean.CopyTo(table.Row(i));
        }
        return table;
    }
}
