namespace Crane.Data;

/// <summary>
/// <c>prepare</c>: raw interactions with string ids (and optional per-item feature files) →
/// rating filter → duplicate pairs dropped → items without features checked → k-core filter →
/// contiguous ids in sorted raw-id order (ordinal) → MMRec's seeded split → a <see cref="Dataset"/>
/// ready for <see cref="DatasetWriter"/>.
/// </summary>
public static class DatasetPreparer
{
    /// <summary>Runs every step; bad input throws a <see cref="DataException"/> naming file, line and value.</summary>
    public static PrepareResult Prepare(PrepareOptions options)
    {
        var notes = new List<string>();
        var raw = RawInteractions.Read(options, notes);
        var features = options.FeatureFiles.ToDictionary(f => f.Key, f =>
        {
            DatasetReader.CheckModalityName(f.Key, f.Value);
            return ItemFeatureTable.Read(f.Value);
        });
        var keep = new bool[raw.Count];
        Array.Fill(keep, true);
        foreach (var (name, table) in features) FilterItemsWithoutFeatures(raw, keep, table, options, name, notes);
        if (options.KCore > 1) KCore(raw, keep, options.KCore, notes);

        var users = Reindex(raw.UserNames, raw.Users, keep);
        var items = Reindex(raw.ItemNames, raw.Items, keep);
        var pairUsers = new List<int>();
        var pairItems = new List<int>();
        for (int p = 0; p < raw.Count; p++)
        {
            if (!keep[p]) continue;
            pairUsers.Add(users.NewId[raw.Users[p]]);
            pairItems.Add(items.NewId[raw.Items[p]]);
        }
        if (pairUsers.Count == 0) throw new DataException(options.InteractionsFile, null, "no interactions are left after filtering.");

        var (userStart, grouped) = MmrecSplit.GroupByUser(users.Map.Count, [.. pairUsers], [.. pairItems]);
        var (train, valid, test) = MmrecSplit.Split(userStart, grouped, options.Seed);
        notes.Add($"{users.Map.Count} users, {items.Map.Count} items; split (seed {options.Seed}): train {train.Count}, valid {valid.Count}, test {test.Count}.");
        var modalities = new SortedDictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, table) in features) modalities[name] = table.Rows(items.Map);
        var dataset = new Dataset
        {
            Name = options.Name ?? Path.GetFileNameWithoutExtension(options.InteractionsFile),
            UserCount = users.Map.Count, ItemCount = items.Map.Count,
            Train = train, Valid = valid, Test = test, Modalities = modalities,
            UserIds = users.Map, ItemIds = items.Map,
            SourceFiles = options.FeatureFiles.Values.Prepend(options.InteractionsFile).Select(Path.GetFullPath).ToArray(),
        };
        return new PrepareResult(dataset, notes);
    }

    static void FilterItemsWithoutFeatures(RawInteractions raw, bool[] keep, ItemFeatureTable table, PrepareOptions options, string name, List<string> notes)
    {
        var missing = new bool[raw.ItemNames.Count];
        var missingNames = new List<string>();
        for (int i = 0; i < missing.Length; i++)
            if (!table.Contains(raw.ItemNames[i])) { missing[i] = true; missingNames.Add(raw.ItemNames[i]); }
        if (missingNames.Count == 0) return;
        if (!options.DropItemsWithoutFeatures)
            throw new DataException(table.File, null, $"no '{name}' features for item '{missingNames[0]}' ({missingNames.Count} of {missing.Length} items lack them; allow dropping them to continue without).");
        int dropped = 0;
        for (int p = 0; p < raw.Count; p++)
            if (keep[p] && missing[raw.Items[p]]) { keep[p] = false; dropped++; }
        notes.Add($"dropped {missingNames.Count} items without '{name}' features ({dropped} interactions).");
    }

    /// <summary>Removes pairs whose user or item has fewer than k kept pairs, until none does.</summary>
    static void KCore(RawInteractions raw, bool[] keep, int k, List<string> notes)
    {
        var userDegree = new int[raw.UserNames.Count];
        var itemDegree = new int[raw.ItemNames.Count];
        int rounds = 0, removed = 0;
        for (bool changed = true; changed; rounds++)
        {
            changed = false;
            Array.Clear(userDegree);
            Array.Clear(itemDegree);
            for (int p = 0; p < raw.Count; p++)
                if (keep[p]) { userDegree[raw.Users[p]]++; itemDegree[raw.Items[p]]++; }
            for (int p = 0; p < raw.Count; p++)
                if (keep[p] && (userDegree[raw.Users[p]] < k || itemDegree[raw.Items[p]] < k)) { keep[p] = false; changed = true; removed++; }
        }
        notes.Add($"{k}-core: removed {removed} interactions in {rounds - 1} round(s).");
    }

    /// <summary>New contiguous ids for the ids still used, in ordinal order of their raw names.</summary>
    static (IdMap Map, int[] NewId) Reindex(IReadOnlyList<string> names, int[] ids, bool[] keep)
    {
        var used = new bool[names.Count];
        for (int p = 0; p < ids.Length; p++) if (keep[p]) used[ids[p]] = true;
        var order = Enumerable.Range(0, names.Count).Where(i => used[i]).OrderBy(i => names[i], StringComparer.Ordinal).ToArray();
        var newId = new int[names.Count];
        Array.Fill(newId, -1);
        for (int n = 0; n < order.Length; n++) newId[order[n]] = n;
        return (new IdMap(order.Select(i => names[i]).ToArray()), newId);
    }
}
