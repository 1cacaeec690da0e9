namespace Crane.Experiments;

/// <summary>
/// Settings to search: named axes, each with its values; the points are every combination (the
/// first axis varies slowest). The key <see cref="LearningRate"/> sets the trainer's learning rate,
/// which is not a model setting.
/// </summary>
public sealed class SettingGrid
{
    /// <summary>The key that sets Adam's learning rate instead of a model setting.</summary>
    public const string LearningRate = "lr";

    /// <summary>A grid with the given axes (key, values); a key may appear once and needs at least one value.</summary>
    public SettingGrid(params (string Key, string[] Values)[] axes)
    {
        foreach (var (key, values) in axes)
            if (values.Length == 0) throw new ArgumentException($"Grid axis '{key}' has no values.", nameof(axes));
        if (axes.Select(a => a.Key).Distinct(StringComparer.Ordinal).Count() != axes.Length)
            throw new ArgumentException($"A grid names a key twice: {string.Join(", ", axes.Select(a => a.Key))}.", nameof(axes));
        Axes = axes;
    }

    /// <summary>The axes in order.</summary>
    public IReadOnlyList<(string Key, string[] Values)> Axes { get; }

    /// <summary>Number of points (the product of the axis lengths).</summary>
    public int Count => Axes.Aggregate(1, (n, a) => n * a.Values.Length);

    /// <summary>Every combination of one value per axis, the first axis varying slowest.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>> Points()
    {
        IEnumerable<Dictionary<string, string>> points = [new Dictionary<string, string>(StringComparer.Ordinal)];
        foreach (var (key, values) in Axes)
            points = points.SelectMany(p => values.Select(v => new Dictionary<string, string>(p, StringComparer.Ordinal) { [key] = v }));
        return points.ToArray();
    }

    /// <summary>"key ∈ {a, b} × …".</summary>
    public override string ToString() => string.Join(" × ", Axes.Select(a => $"{a.Key} ∈ {{{string.Join(", ", a.Values)}}}"));
}
