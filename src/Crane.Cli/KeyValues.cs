namespace Crane.Cli;

/// <summary>Options given as repeated name=value pairs (--modality image=image_feat.npy, --features …).</summary>
internal static class KeyValues
{
    /// <summary>The pairs as a dictionary; a malformed or repeated name is an <see cref="ArgumentException"/> naming the option.</summary>
    public static IReadOnlyDictionary<string, string> Parse(IEnumerable<string>? pairs, string option)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs ?? [])
        {
            int eq = pair.IndexOf('=');
            if (eq <= 0 || eq == pair.Length - 1)
                throw new ArgumentException($"{option} '{pair}' is not of the form name=file.");
            if (!result.TryAdd(pair[..eq].Trim(), pair[(eq + 1)..].Trim()))
                throw new ArgumentException($"{option} names '{pair[..eq].Trim()}' twice.");
        }
        return result;
    }
}
