using System.Numerics.Tensors;

namespace Crane.Data;

/// <summary>
/// Loads a dataset folder in MMRec's layout (docs/data-format.md): the folder's single
/// <c>&lt;name&gt;.inter</c>, every <c>&lt;x&gt;_feat.npy</c> as modality x, explicit extra
/// modalities, the id maps <c>u_id_mapping.csv</c> / <c>i_id_mapping.csv</c> and the item text
/// <c>item_text.tsv</c> when present.
/// Every check of protocol.md is made; errors are <see cref="DataException"/>s naming file, line
/// and value, and what MMRec tolerates comes back as warnings.
/// </summary>
public static class DatasetReader
{
    /// <summary>The dataset and the warnings the caller should show (e.g. users the evaluator will drop).</summary>
    public sealed record LoadResult(Dataset Dataset, IReadOnlyList<string> Warnings);

    /// <summary>Suffix that makes a .npy file in the folder a modality: image_feat.npy → image.</summary>
    public const string FeatureSuffix = "_feat.npy";

    /// <summary>
    /// Loads <paramref name="folder"/>. <paramref name="modalityFiles"/> adds modalities by name
    /// (name → .npy path, relative to the working directory or else to the folder); a name that
    /// is also found in the folder is taken from the explicit file. <paramref name="allowSparseIds"/>
    /// keeps an id range far larger than the ids used (<see cref="InterReader.Read"/>).
    /// </summary>
    public static LoadResult Load(string folder, IReadOnlyDictionary<string, string>? modalityFiles = null, bool allowSparseIds = false)
    {
        if (!Directory.Exists(folder)) throw new DataException(folder, null, "dataset folder not found.");
        var warnings = new List<string>();
        string interPath = FindInter(folder);
        var table = InterReader.Read(interPath, allowSparseIds);
        var sources = new List<string> { interPath };

        var splits = SplitRows(table);
        CheckTrainDuplicates(table);
        var trainKeys = PairKeys(splits[0], table.ItemCount);
        Array.Sort(trainKeys);
        WarnColdUsers(table, splits, warnings);
        WarnLeakage(table, trainKeys, warnings);
        WarnHeldOutRepeats(table, warnings);

        var userIds = ReadIdMap(folder, IdMapFile.UserFile, table.UserCount, "user", sources);
        var itemIds = ReadIdMap(folder, IdMapFile.ItemFile, table.ItemCount, "item", sources);
        var modalities = new SortedDictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, path) in ModalityFiles(folder, modalityFiles))
        {
            modalities[name] = ReadFeatures(path, table.ItemCount);
            sources.Add(path);
        }
        string textPath = Path.Combine(folder, ItemTextFile.FileName);
        string[]? itemText = null;
        if (File.Exists(textPath))
        {
            itemText = ItemTextFile.Read(textPath, table.ItemCount);
            sources.Add(textPath);
        }

        var dataset = new Dataset
        {
            Name = Path.GetFileNameWithoutExtension(interPath),
            UserCount = table.UserCount, ItemCount = table.ItemCount,
            Train = splits[0], Valid = splits[1], Test = splits[2],
            Modalities = modalities, ItemText = itemText, UserIds = userIds, ItemIds = itemIds,
            SourceFiles = sources.Select(Path.GetFullPath).ToArray(),
        };
        return new LoadResult(dataset, warnings);
    }

    /// <summary>
    /// Reads one modality's features and checks them against the dataset: ItemCount rows, at
    /// least one column, every value finite (the first bad row is named).
    /// </summary>
    public static Tensor ReadFeatures(string path, int itemCount)
    {
        var features = NpyReader.Read(path);
        if (features.Rows != itemCount)
            throw new DataException(path, null, $"has {features.Rows} rows but the interactions have N = {itemCount} items (row i must be item i).");
        if (features.Cols == 0)
            throw new DataException(path, null, $"has shape ({features.Rows}, 0): no feature columns. Each item needs a vector of at least one value.");
        if (!TensorPrimitives.IsFiniteAll<float>(features.Data))
            for (int r = 0; r < features.Rows; r++)
            {
                var row = features.Row(r);
                if (TensorPrimitives.IsFiniteAll<float>(row)) continue;
                int c = 0;
                while (float.IsFinite(row[c])) c++;
                throw new DataException(path, null, $"row {r} (item {r}), column {c} is {row[c].ToString(System.Globalization.CultureInfo.InvariantCulture)}; features must be finite.");
            }
        return features;
    }

    static string FindInter(string folder)
    {
        var found = Directory.GetFiles(folder, "*.inter").Order(StringComparer.Ordinal).ToArray();
        return found.Length switch
        {
            1 => found[0],
            0 => throw new DataException(folder, null, "no .inter file in the dataset folder."),
            _ => throw new DataException(folder, null, $"{found.Length} .inter files ({string.Join(", ", found.Select(Path.GetFileName))}); a dataset folder holds exactly one."),
        };
    }

    static Interactions[] SplitRows(InterTable table)
    {
        var counts = new int[3];
        foreach (var label in table.Labels) counts[(int)label]++;
        var splits = counts.Select(n => new Interactions(new int[n], new int[n])).ToArray();
        var filled = new int[3];
        for (int r = 0; r < table.Count; r++)
        {
            int s = (int)table.Labels[r];
            splits[s].Users[filled[s]] = table.Users[r];
            splits[s].Items[filled[s]++] = table.Items[r];
        }
        return splits;
    }

    /// <summary>user·N + item for each pair: one sortable key per (user, item).</summary>
    static long[] PairKeys(Interactions pairs, int itemCount)
    {
        var keys = new long[pairs.Count];
        for (int p = 0; p < keys.Length; p++) keys[p] = (long)pairs.Users[p] * itemCount + pairs.Items[p];
        return keys;
    }

    static void CheckTrainDuplicates(InterTable table)
    {
        // (key, row) sorted: equal keys end up in file order, so a group's first entry is the original.
        var pairs = Enumerable.Range(0, table.Count).Where(r => table.Labels[r] == Split.Train)
            .Select(r => ((long)table.Users[r] * table.ItemCount + table.Items[r], r)).ToArray();
        Array.Sort(pairs);
        int duplicate = -1, original = -1;
        for (int p = 1, first = 0; p < pairs.Length; p++)
        {
            if (pairs[p].Item1 != pairs[p - 1].Item1) { first = p; continue; }
            if (duplicate < 0 || pairs[p].r < duplicate) (duplicate, original) = (pairs[p].r, pairs[first].r);
        }
        if (duplicate >= 0)
            throw new DataException(table.File, table.Lines[duplicate],
                $"duplicate training pair (userID {table.Users[duplicate]}, itemID {table.Items[duplicate]}); it is already on line {table.Lines[original]}.");
    }

    static void WarnColdUsers(InterTable table, Interactions[] splits, List<string> warnings)
    {
        var hasTrain = new bool[table.UserCount];
        foreach (int u in splits[0].Users) hasTrain[u] = true;
        var cold = new HashSet<int>();
        int rows = 0, firstLine = 0;
        for (int r = 0; r < table.Count; r++)
        {
            if (table.Labels[r] == Split.Train || hasTrain[table.Users[r]]) continue;
            if (rows++ == 0) firstLine = table.Lines[r];
            cold.Add(table.Users[r]);
        }
        if (cold.Count > 0)
            warnings.Add($"{table.File}: {cold.Count} user(s) have valid/test rows but no training rows ({rows} rows; first on line {firstLine}, userID {cold.Min()} is one); the evaluator drops them, as MMRec does.");
    }

    /// <summary>A (user, item) pair held out twice (valid twice, test twice, or in both) counts once as relevant: say so.</summary>
    static void WarnHeldOutRepeats(InterTable table, List<string> warnings)
    {
        var firstSeen = new Dictionary<long, int>();
        int count = 0, firstLine = 0, earlier = 0;
        for (int r = 0; r < table.Count; r++)
        {
            if (table.Labels[r] == Split.Train) continue;
            if (firstSeen.TryAdd((long)table.Users[r] * table.ItemCount + table.Items[r], table.Lines[r])) continue;
            if (count++ == 0) (firstLine, earlier) = (table.Lines[r], firstSeen[(long)table.Users[r] * table.ItemCount + table.Items[r]]);
        }
        if (count > 0)
            warnings.Add($"{table.File}: {count} valid/test row(s) repeat an earlier valid/test row (first on line {firstLine}, a repeat of line {earlier}); a repeated pair counts once in the metrics.");
    }

    static void WarnLeakage(InterTable table, long[] sortedTrainKeys, List<string> warnings)
    {
        int count = 0, firstLine = 0;
        for (int r = 0; r < table.Count; r++)
        {
            if (table.Labels[r] == Split.Train) continue;
            if (Array.BinarySearch(sortedTrainKeys, (long)table.Users[r] * table.ItemCount + table.Items[r]) < 0) continue;
            if (count++ == 0) firstLine = table.Lines[r];
        }
        if (count > 0)
            warnings.Add($"{table.File}: {count} valid/test row(s) repeat a training pair (first on line {firstLine}); training items are masked, so these can never be hit.");
    }

    static IdMap ReadIdMap(string folder, string fileName, int count, string what, List<string> sources)
    {
        string path = Path.Combine(folder, fileName);
        if (!File.Exists(path)) return IdMap.Identity(count);
        sources.Add(path);
        return IdMapFile.Read(path, count, what);
    }

    static IEnumerable<(string Name, string Path)> ModalityFiles(string folder, IReadOnlyDictionary<string, string>? explicitFiles)
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in Directory.GetFiles(folder, "*" + FeatureSuffix))
        {
            string name = Path.GetFileName(path)[..^FeatureSuffix.Length];
            if (name.Length > 0) files[name] = path;
        }
        foreach (var (name, file) in explicitFiles ?? new Dictionary<string, string>())
        {
            CheckModalityName(name, file);
            files[name] = File.Exists(file) || Path.IsPathRooted(file) ? file : Path.Combine(folder, file);
        }
        return files.Select(f => (f.Key, f.Value));
    }

    /// <summary>Modality names become file names (&lt;name&gt;_feat.npy) and config keys: letters, digits, '-' and '_' only.</summary>
    internal static void CheckModalityName(string name, string file)
    {
        if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
            throw new DataException(file, null, $"modality name '{name}' must be letters, digits, '-' or '_'.");
    }
}
