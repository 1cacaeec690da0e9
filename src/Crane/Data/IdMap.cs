namespace Crane.Data;

/// <summary>Raw ids (as in the user's files) ↔ contiguous internal ids 0..Count−1.</summary>
public sealed class IdMap
{
    readonly string[] _raw;
    readonly Dictionary<string, int> _index;

    /// <summary>Internal id i has raw id <c>raw[i]</c>; raw ids must be unique.</summary>
    public IdMap(IReadOnlyList<string> raw)
    {
        _raw = raw.ToArray();
        _index = new Dictionary<string, int>(_raw.Length, StringComparer.Ordinal);
        for (int i = 0; i < _raw.Length; i++)
            if (!_index.TryAdd(_raw[i], i)) throw new ArgumentException($"Raw id '{_raw[i]}' appears twice (internal ids {_index[_raw[i]]} and {i}).");
    }

    /// <summary>The identity map "0".."n−1", for datasets whose ids are already internal.</summary>
    public static IdMap Identity(int count) => new(Enumerable.Range(0, count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray());

    /// <summary>Number of ids.</summary>
    public int Count => _raw.Length;

    /// <summary>Raw id of an internal id.</summary>
    public string Raw(int id) => _raw[id];

    /// <summary>Internal id of a raw id, if known.</summary>
    public bool TryGetId(string raw, out int id) => _index.TryGetValue(raw, out id);

    /// <summary>All raw ids in internal order.</summary>
    public IReadOnlyList<string> RawIds => _raw;
}
