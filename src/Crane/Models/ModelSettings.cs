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

    /// <summary>Parses "key=value" strings (as given to --set); a key given twice is an error, not a silent last-one-wins.</summary>
    public static ModelSettings Parse(IEnumerable<string> pairs)
    {
        var given = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            int eq = pair.IndexOf('=');
            if (eq <= 0) throw new ArgumentException($"Setting '{pair}' is not of the form key=value.");
            string key = pair[..eq].Trim(), value = pair[(eq + 1)..].Trim();
            if (given.TryGetValue(key, out var first))
                throw new ArgumentException($"Setting '{key}' is given twice ({key}={first} and {key}={value}); give it once.");
            given[key] = value;
        }
        return new ModelSettings(given);
    }

    /// <summary>
    /// An integer setting in [<paramref name="min"/>, <paramref name="max"/>] (e.g. <c>min: 1</c> for a
    /// size, <c>min: 0</c> for a layer count); a value outside is an <see cref="ArgumentException"/>
    /// naming the key, the value, the range and <paramref name="why"/> (the reason for the bounds) when given.
    /// </summary>
    public int Int(string key, int defaultValue, int min = int.MinValue, int max = int.MaxValue, string? why = null)
    {
        int value = Read(key, defaultValue, s => int.Parse(s, CultureInfo.InvariantCulture), "a whole number");
        if (value < min || value > max)
            throw OutOfRange(key, value, max == int.MaxValue ? $"at least {Shown(min)}" : min == int.MinValue ? $"at most {Shown(max)}" : $"in [{Shown(min)}, {Shown(max)}]", why);
        return value;
    }

    /// <summary>
    /// A float setting, checked against the bounds given: <paramref name="min"/> ≤ x, <paramref name="above"/> &lt; x,
    /// x ≤ <paramref name="max"/>, x &lt; <paramref name="below"/> (e.g. <c>min: 0f</c> for a loss weight,
    /// <c>above: 0f</c> for a temperature, <c>min: 0f, below: 1f</c> for a dropout rate). A bounded
    /// setting must also be finite. A value outside is an <see cref="ArgumentException"/> naming the key,
    /// the value and the range; with no bounds, any float is accepted.
    /// </summary>
    public float Float(string key, float defaultValue, float? min = null, float? above = null, float? max = null, float? below = null, string? why = null)
    {
        float value = Read(key, defaultValue, s => float.Parse(s, CultureInfo.InvariantCulture), "a number");
        bool bounded = min is not null || above is not null || max is not null || below is not null;
        // A lifted comparison with an absent (null) bound is false, so only the given bounds can reject.
        if (bounded && (!float.IsFinite(value) || value < min || value <= above || value > max || value >= below))
            throw OutOfRange(key, value, FloatRange(min, above, max, below), why);
        return value;
    }

    /// <summary>A boolean setting (true/false).</summary>
    public bool Bool(string key, bool defaultValue) => Read(key, defaultValue, bool.Parse, "true or false");

    /// <summary>A text setting, optionally restricted to <paramref name="allowed"/> values.</summary>
    public string Text(string key, string defaultValue, params string[] allowed) => Read(key, defaultValue, s =>
        allowed.Length == 0 || allowed.Contains(s) ? s : throw new FormatException(), $"one of {string.Join(", ", allowed)}");

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

    /// <summary>"in (0, 1]" for two bounds; "a finite number ≥ 0" (or >, ≤, &lt;) for one.</summary>
    static string FloatRange(float? min, float? above, float? max, float? below)
    {
        if ((min ?? above) is { } low && (max ?? below) is { } high)
            return $"in {(min is null ? "(" : "[")}{Shown(low)}, {Shown(high)}{(max is null ? ")" : "]")}";
        return (min, above, max) switch
        {
            ({ } m, _, _) => $"a finite number ≥ {Shown(m)}",
            (_, { } a, _) => $"a finite number > {Shown(a)}",
            (_, _, { } x) => $"a finite number ≤ {Shown(x)}",
            _ => $"a finite number < {Shown(below)}",
        };
    }

    static ArgumentException OutOfRange<T>(string key, T value, string range, string? why) =>
        new($"Setting {key}={Shown(value)} must be {range}{(why is null ? "" : ": " + why)}.");

    static string Shown<T>(T value) => value is bool b ? (b ? "true" : "false") : Convert.ToString(value, CultureInfo.InvariantCulture)!;

    /// <summary>The value given for <paramref name="key"/>, parsed, else the default; a value that does not parse is an error saying what <paramref name="expected"/>.</summary>
    T Read<T>(string key, T defaultValue, Func<string, T> parse, string expected)
    {
        T value = defaultValue;
        if (_given.TryGetValue(key, out var text))
        {
            try { value = parse(text); }
            catch (FormatException) { throw new ArgumentException($"Setting {key}={text} is not {expected}."); }
            catch (OverflowException) { throw new ArgumentException($"Setting {key}={text} is out of range for {expected}."); }
        }
        _resolved[key] = Shown(value);
        return value;
    }
}
