namespace Crane.Data;

/// <summary>
/// Writes a dataset in MMRec's layout: <c>&lt;name&gt;.inter</c> (userID, itemID, x_label; train,
/// then valid, then test rows, each in their order), <c>&lt;modality&gt;_feat.npy</c> per modality
/// (float32), <c>item_text.tsv</c> when the dataset has item text and, unless the ids are the identity, <c>u_id_mapping.csv</c> / <c>i_id_mapping.csv</c>.
/// </summary>
public static class DatasetWriter
{
    /// <summary>True for the name of a file a dataset folder holds (the .inter file, features, id maps, item text), or of one on its way there.</summary>
    public static bool IsDatasetFile(string name)
    {
        name = AtomicFile.TargetName(name);
        return name.EndsWith(".inter", StringComparison.Ordinal) || name.EndsWith(DatasetReader.FeatureSuffix, StringComparison.Ordinal)
            || name is IdMapFile.UserFile or IdMapFile.ItemFile or ItemTextFile.FileName;
    }

    /// <summary>
    /// Writes <paramref name="data"/> into <paramref name="folder"/> atomically: everything goes into a
    /// temporary folder beside it, renamed into place at the end. An existing folder is an error
    /// unless <paramref name="overwrite"/>, in which case it is replaced as a whole.
    /// </summary>
    public static void Write(Dataset data, string folder, bool overwrite = false)
    {
        string target = Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar);
        if (Directory.Exists(target) && !overwrite)
            throw new IOException($"{target} already exists; choose another folder or allow overwriting.");
        CheckName(data.Name);
        CheckIdsReachCounts(data);
        string temp = AtomicFile.TempName(target);
        try
        {
            Directory.CreateDirectory(temp);
            WriteContents(data, temp);
            if (Directory.Exists(target))
            {
                string old = AtomicFile.TempName(target);
                Directory.Move(target, old);
                Directory.Move(temp, target);
                Directory.Delete(old, recursive: true);
            }
            else Directory.Move(temp, target);
        }
        finally
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        }
    }

    static void WriteContents(Dataset data, string folder)
    {
        AtomicFile.WriteLines(Path.Combine(folder, data.Name + ".inter"), InterLines(data));
        foreach (var (name, features) in data.Modalities)
        {
            DatasetReader.CheckModalityName(name, folder);
            if (features.Rows != data.ItemCount)
                throw new ArgumentException($"Modality '{name}' has {features.Rows} rows, the dataset {data.ItemCount} items.");
            NpyWriter.Write(Path.Combine(folder, name + DatasetReader.FeatureSuffix), features);
        }
        if (data.ItemText is { } text) ItemTextFile.Write(Path.Combine(folder, ItemTextFile.FileName), text);
        WriteMap(Path.Combine(folder, IdMapFile.UserFile), data.UserIds, data.UserCount, "user_id", "userID");
        WriteMap(Path.Combine(folder, IdMapFile.ItemFile), data.ItemIds, data.ItemCount, "item_id", "itemID");
    }

    static IEnumerable<string> InterLines(Dataset data)
    {
        yield return "userID\titemID\tx_label";
        foreach (var split in new[] { Split.Train, Split.Valid, Split.Test })
        {
            var pairs = data[split];
            for (int p = 0; p < pairs.Count; p++) yield return $"{pairs.Users[p]}\t{pairs.Items[p]}\t{(int)split}";
        }
    }

    static void WriteMap(string path, IdMap map, int count, string rawColumn, string idColumn)
    {
        if (map.Count != count) throw new ArgumentException($"{Path.GetFileName(path)}: the id map has {map.Count} ids, the dataset {count}.");
        if (IdMapFile.IsIdentity(map)) return;
        foreach (var raw in map.RawIds)
            if (raw.AsSpan().IndexOfAny('\t', '\n', '\r') >= 0)
                throw new ArgumentException($"Raw id '{raw}' holds a tab or line break and cannot be written to {Path.GetFileName(path)}.");
        IdMapFile.Write(path, map, rawColumn, idColumn);
    }

    /// <summary>The layout derives M and N from the largest ids, so the last user and item must occur in some row.</summary>
    static void CheckIdsReachCounts(Dataset data)
    {
        int maxUser = -1, maxItem = -1;
        foreach (var split in new[] { data.Train, data.Valid, data.Test })
        {
            if (split.Count == 0) continue;
            maxUser = Math.Max(maxUser, split.Users.Max());
            maxItem = Math.Max(maxItem, split.Items.Max());
        }
        if (maxUser + 1 != data.UserCount || maxItem + 1 != data.ItemCount)
            throw new ArgumentException($"The rows reach user {maxUser} and item {maxItem}, but the dataset has {data.UserCount} users and {data.ItemCount} items; "
                + "the MMRec layout derives the counts from the largest ids, so the written folder would read back differently.");
    }

    static void CheckName(string name)
    {
        if (name.Length == 0 || name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || name.StartsWith('.'))
            throw new ArgumentException($"Dataset name '{name}' cannot be a file name.");
    }
}
