using System.Globalization;

namespace Crane.Models;

/// <summary>
/// A model's hyper-parameters as text key=value pairs (from <c>--set</c>), read with typed
/// defaults. Every key a model reads is remembered with the value it used, so the run's
/// config.json can hold the fully resolved settings; a key that no model read is an error.
/// </summary>
public sealed class ModelSettings
{
    readonly Dictionary<string, string> _given;
    readonly SortedDictionary<string, string> _resolved = new(StringComparer.Ordinal);

    /// <summary>Settings from explicit key=value pairs.</summary>
    public ModelSettings(IReadOnlyDictionary<string, string>? given = null) =>
        _given = new Dictionary<string, string>(given ?? new Dictionary<string, string>(), StringComparer.Ordinal);

    /// <summary>Parses "key=value" strings (as given to --set).</summary>
    public static ModelSettings Parse(IEnumerable<string> pairs)
    {
        var given = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            int eq = pair.IndexOf('=');
            if (eq <= 0) throw new ArgumentException($"Setting '{pair}' is not of the form key=value.");
            given[pair[..eq].Trim()] = pair[(eq + 1)..].Trim();
        }
        return new ModelSettings(given);
    }

    /// <summary>An integer setting.</summary>
    public int Int(string key, int defaultValue) => Read(key, defaultValue, s => int.Parse(s, CultureInfo.InvariantCulture));

    /// <summary>A float setting.</summary>
    public float Float(string key, float defaultValue) => Read(key, defaultValue, s => float.Parse(s, CultureInfo.InvariantCulture));

    /// <summary>A boolean setting (true/false).</summary>
    public bool Bool(string key, bool defaultValue) => Read(key, defaultValue, bool.Parse);

    /// <summary>A text setting, optionally restricted to <paramref name="allowed"/> values.</summary>
    public string Text(string key, string defaultValue, params string[] allowed) => Read(key, defaultValue, s =>
        allowed.Length == 0 || allowed.Contains(s) ? s : throw new FormatException($"expected one of {string.Join(", ", allowed)}"));

    /// <summary>Every key read so far with the value used (given or default), in key order.</summary>
    public IReadOnlyDictionary<string, string> Resolved => _resolved;

    /// <summary>Keys that were given but never read: typos, or settings of another model.</summary>
    public IEnumerable<string> Unused => _given.Keys.Where(k => !_resolved.ContainsKey(k)).Order(StringComparer.Ordinal);

    /// <summary>Throws when a given key was never read.</summary>
    public void ThrowIfUnused(string modelName)
    {
        var unused = Unused.ToArray();
        if (unused.Length > 0)
            throw new ArgumentException($"Model '{modelName}' has no setting {string.Join(", ", unused.Select(k => $"'{k}'"))}. Its settings: {string.Join(", ", _resolved.Keys)}.");
    }

    T Read<T>(string key, T defaultValue, Func<string, T> parse)
    {
        T value = defaultValue;
        if (_given.TryGetValue(key, out var text))
        {
            try { value = parse(text); }
            catch (Exception e) when (e is FormatException or OverflowException)
            {
                throw new ArgumentException($"Setting {key}={text} is not a valid {typeof(T).Name}: {e.Message}");
            }
        }
        _resolved[key] = value is bool b ? (b ? "true" : "false") : Convert.ToString(value, CultureInfo.InvariantCulture)!;
        return value;
    }
}
