using Crane.Data;

namespace Crane.Models;

/// <summary>
/// The <c>modalities</c> setting of the baselines that read item features: a comma list of
/// dataset modality names, kept in the order given (the order of concatenations and branches).
/// Its default is every modality of the dataset: the ones the model's paper names first, in the
/// paper's order (e.g. VBPR's text, image), then the others in ordinal name order.
/// </summary>
internal static class ModalitySelection
{
    /// <summary>Reads <c>modalities</c>; throws naming the setting and the dataset's modalities when one is missing or none is left.</summary>
    public static string[] Read(ModelSettings settings, Dataset data, string model, params string[] paperOrder)
    {
        var available = data.Modalities.Keys.ToArray();
        var preferred = paperOrder.Where(available.Contains)
            .Concat(available.Where(m => !paperOrder.Contains(m)).Order(StringComparer.Ordinal)).ToArray();
        var text = settings.Text("modalities", string.Join(",", preferred));
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
}
