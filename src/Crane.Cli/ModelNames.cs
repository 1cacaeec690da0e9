using Crane.Models;

namespace Crane.Cli;

/// <summary>Checks a --model value against the catalog before any data is read.</summary>
internal static class ModelNames
{
    /// <summary>The catalog's spelling of <paramref name="name"/>; an unknown name is an <see cref="ArgumentException"/> listing the models.</summary>
    public static string Check(string name) =>
        ModelCatalog.Names.FirstOrDefault(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"Unknown model '{name}'. Models: {ModelCatalog.Listing}.");
}
