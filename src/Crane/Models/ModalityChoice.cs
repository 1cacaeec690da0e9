namespace Crane.Models;

/// <summary>The <c>modalities</c> setting of the models that read any number of named modalities.</summary>
internal static class ModalityChoice
{
    /// <summary>
    /// The modality names to read, in ordinal order: every one in <paramref name="available"/>
    /// for "all", else the comma-separated names of <paramref name="setting"/>, each of which the
    /// dataset must have. Throws, naming the model, when none is left.
    /// </summary>
    public static string[] Select(string setting, IEnumerable<string> available, string model)
    {
        var names = available.Order(StringComparer.Ordinal).ToArray();
        if (setting != "all")
        {
            var wanted = setting.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            foreach (var w in wanted)
                if (!names.Contains(w))
                    throw new ArgumentException($"Setting modalities={setting}: the dataset has no modality '{w}' (it has {(names.Length == 0 ? "none" : string.Join(", ", names))}).");
            names = wanted.Order(StringComparer.Ordinal).Distinct().ToArray();
        }
        if (names.Length == 0)
            throw new ArgumentException($"Model '{model}' needs at least one item modality (a <name>_feat.npy file); the dataset has none.");
        return names;
    }
}
