using Crane.Data;
using Crane.Models;
using Crane.Numerics;

namespace Crane.Training;

// STAND-IN: the evaluation engineer writes the real BprSampler (Training/BprSampler.cs) on the
// eval branch. This file only lets the trainer compile and be tested before that merges, with the
// assumed shape new BprSampler(Dataset, batchSize, Rng) and Epoch(). Delete it at the merge.

/// <summary>
/// protocol.md's BPR sampler: every training interaction once per epoch in a shuffled order, each
/// with one negative drawn uniformly from the items that occur in training, redrawn while it is in
/// the user's training set.
/// </summary>
public sealed class BprSampler
{
    readonly Dataset _data;
    readonly int _batchSize;
    readonly Rng _rng;
    readonly int[] _trainItems;
    readonly HashSet<long> _seen;

    /// <summary>A sampler over <paramref name="data"/>'s training split.</summary>
    public BprSampler(Dataset data, int batchSize, Rng rng)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        _data = data;
        _batchSize = batchSize;
        _rng = rng;
        _trainItems = data.Train.Items.Distinct().Order().ToArray();
        _seen = new HashSet<long>(data.Train.Count);
        for (int e = 0; e < data.Train.Count; e++) _seen.Add(Key(data.Train.Users[e], data.Train.Items[e]));
    }

    /// <summary>One epoch's batches; each call reshuffles and redraws the negatives.</summary>
    public IEnumerable<TrainingBatch> Epoch()
    {
        var train = _data.Train;
        var order = Enumerable.Range(0, train.Count).ToArray();
        _rng.Shuffle<int>(order);
        for (int start = 0; start < order.Length; start += _batchSize)
        {
            int n = Math.Min(_batchSize, order.Length - start);
            var (users, positives, negatives) = (new int[n], new int[n], new int[n]);
            for (int b = 0; b < n; b++)
            {
                int e = order[start + b];
                users[b] = train.Users[e];
                positives[b] = train.Items[e];
                int negative;
                do negative = _trainItems[_rng.NextInt(_trainItems.Length)];
                while (_seen.Contains(Key(users[b], negative)));
                negatives[b] = negative;
            }
            yield return new TrainingBatch(users, positives, negatives);
        }
    }

    static long Key(int user, int item) => ((long)user << 32) | (uint)item;
}
