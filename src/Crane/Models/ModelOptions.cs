using System.Globalization;
using System.Reflection;

namespace Crane.Models;

/// <summary>
/// Marks a property of a typed settings record (<see cref="ModelOptions"/>) as the setting
/// <paramref name="key"/> of <c>--set key=value</c>; the property's initial value is its default.
/// Bounds are checked as <see cref="ModelSettings.Int"/> and <see cref="ModelSettings.Float"/> check them.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SettingAttribute(string key) : Attribute
{
    /// <summary>The key users type.</summary>
    public string Key => key;

    /// <summary>Smallest allowed value (inclusive); NaN: none.</summary>
    public double Min { get; init; } = double.NaN;

    /// <summary>The value must be greater than this (exclusive); NaN: none.</summary>
    public double Above { get; init; } = double.NaN;

    /// <summary>Largest allowed value (inclusive); NaN: none.</summary>
    public double Max { get; init; } = double.NaN;

    /// <summary>The value must be less than this (exclusive); NaN: none.</summary>
    public double Below { get; init; } = double.NaN;

    /// <summary>Why the bounds are what they are, said in the error when a value is outside them.</summary>
    public string? Why { get; init; }

    /// <summary>For a text setting: the values allowed (null: any).</summary>
    public string[]? Allowed { get; init; }
}

/// <summary>
/// The base of a model's typed settings: a record of <see cref="SettingAttribute"/> properties, one
/// home for each setting's key, default and range. Programs build a model from it
/// (<c>new LightGcn(data, new LightGcnSettings { Layers = 3 })</c>); the command line's
/// <c>--set key=value</c> pairs are read into the same record, so both are checked alike.
/// </summary>
public abstract record ModelOptions
{
    /// <summary>
    /// These settings as key=value pairs, as <c>--set</c> would give them: every key, defaults
    /// included, but for a null text (a default that depends on the dataset, such as <c>modalities</c>).
    /// </summary>
    public ModelSettings ToModelSettings() =>
        new(Properties(GetType()).Select(p => (p.Setting.Key, Value: p.Property.GetValue(this)))
            .Where(p => p.Value is not null).ToDictionary(p => p.Key, p => Text(p.Value!), StringComparer.Ordinal));

    /// <summary>
    /// Reads <typeparamref name="T"/> from <paramref name="settings"/>: each key given replaces the
    /// default (the value in <paramref name="defaults"/>, for defaults that depend on the dataset,
    /// else the property's initial value); a value out of range, or (unless
    /// <paramref name="checkUnused"/> is false) a key <typeparamref name="T"/> lacks, is an
    /// <see cref="ArgumentException"/> naming it (and <paramref name="model"/>). A nullable value
    /// left null is not read: its default depends on the others, and the model resolves it.
    /// </summary>
    public static T Read<T>(ModelSettings settings, string model, T? defaults = null, bool checkUnused = true) where T : ModelOptions, new()
    {
        var result = defaults ?? new T();
        result = result with { }; // a copy: the defaults stay as they were
        foreach (var (property, setting) in Properties(typeof(T)))
        {
            var fallback = property.GetValue(result);
            if (fallback is null && Nullable.GetUnderlyingType(property.PropertyType) is not null) continue;
            if (fallback is null) throw new InvalidOperationException($"Setting '{setting.Key}' of model '{model}' has no default: the model must pass one.");
            property.SetValue(result, ReadOne(settings, setting, Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType, fallback));
        }
        if (checkUnused) settings.ThrowIfUnused(model);
        return result;
    }

    /// <summary>An enum value as a setting's text: its name in snake_case (GraphAverage → graph_average).</summary>
    public static string SnakeCase(Enum value) =>
        string.Concat(value.ToString().Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    static object ReadOne(ModelSettings s, SettingAttribute a, Type type, object fallback)
    {
        static float? Bound(double b) => double.IsNaN(b) ? null : (float)b;
        if (type == typeof(int))
            return s.Int(a.Key, (int)fallback, double.IsNaN(a.Min) ? int.MinValue : (int)a.Min, double.IsNaN(a.Max) ? int.MaxValue : (int)a.Max, a.Why);
        if (type == typeof(float)) return s.Float(a.Key, (float)fallback, Bound(a.Min), Bound(a.Above), Bound(a.Max), Bound(a.Below), a.Why);
        if (type == typeof(bool)) return s.Bool(a.Key, (bool)fallback);
        if (type == typeof(string)) return s.Text(a.Key, (string)fallback, a.Allowed ?? []);
        if (type.IsEnum)
        {
            var values = Enum.GetValues(type).Cast<Enum>().ToArray();
            var text = s.Text(a.Key, SnakeCase((Enum)fallback), values.Select(SnakeCase).ToArray());
            return values.First(v => SnakeCase(v) == text);
        }
        throw new NotSupportedException($"Setting '{a.Key}' has type {type.Name}; settings are int, float, bool, string or an enum.");
    }

    static string Text(object value) => value switch
    {
        bool b => b ? "true" : "false",
        Enum e => SnakeCase(e),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        IFormattable x => x.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString()!,
    };

    static IEnumerable<(PropertyInfo Property, SettingAttribute Setting)> Properties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => (p, p.GetCustomAttribute<SettingAttribute>()))
            .Where(x => x.Item2 is not null)
            .Select(x => (x.p, x.Item2!));
}
