using Crane.Data;

namespace Crane.Models;

/// <summary>
/// The <c>modalities</c> setting, the one home for it. Two readings: <see cref="Ordered"/> keeps the
/// order given (VBPR, MMGCN and SLMRec, whose concatenations and branches follow their paper's
/// order); <see cref="Select"/> takes "all" or a set, in ordinal name order (CRANE, LATTICE, LGMRec).
/// </summary>
internal static class ModalitySelection
{
    /// <summary>
    /// The order-given reading's default: every modality of the dataset, the ones the model's paper
    /// names first, in the paper's order (e.g. VBPR's text, image), then the others in ordinal name order.
    /// </summary>
    public static string PaperOrder(Dataset data, params string[] paperOrder)
    {
        var available = data.Modalities.Keys.ToArray();
        return string.Join(",", paperOrder.Where(available.Contains).Concat(available.Where(m => !paperOrder.Contains(m)).Order(StringComparer.Ordinal)));
    }

    /// <summary>
    /// The order-given reading of the <c>modalities</c> setting <paramref name="text"/>; throws
    /// naming the setting and the dataset's modalities when one is missing or none is left.
    /// </summary>
    public static string[] Ordered(string text, Dataset data, string model)
    {
        var available = data.Modalities.Keys.ToArray();
        var chosen = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        string has = available.Length == 0 ? "none" : string.Join(", ", available.Order(StringComparer.Ordinal));
        if (chosen.Length == 0)
            throw new ArgumentException($"Model '{model}' reads item features, but dataset '{data.Name}' has no modality (a <name>_feat.npy file) and modalities='{text}' names none.");
        var missing = chosen.Where(m => !data.Modalities.ContainsKey(m)).ToArray();
        if (missing.Length > 0)
            throw new ArgumentException($"Setting modalities={text}: dataset '{data.Name}' has no modality {string.Join(", ", missing.Select(m => $"'{m}'"))} (it has {has}).");
        if (chosen.Distinct().Count() != chosen.Length)
            throw new ArgumentException($"Setting modalities={text} names a modality twice.");
        return chosen;
    }

    /// <summary>
    /// The modality names to read, in ordinal order: every one in <paramref name="available"/>
    /// for "all", else the comma-separated names of <paramref name="setting"/>, each of which the
    /// dataset must have. Throws, naming <paramref name="model"/> (its name, or its display label), when one is missing or none is left.
    /// </summary>
    public static string[] Select(string setting, IEnumerable<string> available, string model)
    {
        var names = available.Order(StringComparer.Ordinal).ToArray();
        if (setting != "all")
        {
            var wanted = setting.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            foreach (var w in wanted)
                if (!names.Contains(w))
                    throw new ArgumentException($"Model '{model}', setting modalities={setting}: the dataset has no modality '{w}' (it has {(names.Length == 0 ? "none" : string.Join(", ", names))}).");
            names = wanted.Order(StringComparer.Ordinal).Distinct().ToArray();
        }
        if (names.Length == 0)
            throw new ArgumentException($"Model '{model}' needs at least one item modality (a <name>_feat.npy file); the dataset has none.");
        return names;
    }
}
