namespace Crane.Models;

/// <summary>
/// One optimisation step's data. BPR models get (user, positive, negative) triples; models that
/// train on whole user rows (autoencoders) get only <see cref="Users"/> and leave the rest empty.
/// </summary>
/// <param name="Users">User of each triple, or the batch's users.</param>
/// <param name="Positives">A training item of each user (BPR), else empty.</param>
/// <param name="Negatives">A sampled non-training item of each user (BPR), else empty.</param>
public sealed record TrainingBatch(int[] Users, int[] Positives, int[] Negatives);
