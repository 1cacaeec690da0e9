namespace Crane.Models;

/// <summary>Pieces the BPR-trained models share for their training batches.</summary>
internal static class Triples
{
    /// <summary>The batch's (user, positive, negative) triples; throws when the batch has none.</summary>
    public static void Require(TrainingBatch batch, string kind)
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
}
