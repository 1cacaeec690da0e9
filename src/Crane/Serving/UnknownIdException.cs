namespace Crane.Serving;

/// <summary>A user or item id that the model does not know (not in its training data).</summary>
public sealed class UnknownIdException : KeyNotFoundException
{
    /// <summary>An unknown <paramref name="entity"/> ("user" or "item") <paramref name="id"/>, of <paramref name="known"/> known ones.</summary>
    public UnknownIdException(string entity, string id, int known)
        : base($"{char.ToUpperInvariant(entity[0])}{entity[1..]} '{id}' is not in the model's data (it knows {known:N0} {entity}s).")
        => (Entity, Id) = (entity, id);

    /// <summary>"user" or "item".</summary>
    public string Entity { get; }

    /// <summary>The id as given.</summary>
    public string Id { get; }
}
