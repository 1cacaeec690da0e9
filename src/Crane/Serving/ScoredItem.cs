namespace Crane.Serving;

/// <summary>An item with its score: a recommendation, a similar item, or a scored candidate.</summary>
/// <param name="ItemId">The item's id as in the data files.</param>
/// <param name="Score">The model's score (cosine similarity for similar items; training interactions for popularity).</param>
public sealed record ScoredItem(string ItemId, float Score);
