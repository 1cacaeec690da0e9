using System.Globalization;
using Crane.Data;
using Crane.Numerics;

namespace Crane.Models;

/// <summary>
/// DGVAE's word side: each item's words and each user's TF-IDF word row. Words come from the
/// dataset's item text (<see cref="Dataset.ItemText"/>: lower-cased runs of letters and digits,
/// vocabulary in ordinal order) or, without text, are pseudo-words: per modality, the item's
/// k-means code of its feature row (<see cref="KMeans"/>, seeded), word id = m·codes + code.
/// A user's row over the V words: tf_uw = how often w occurs among the words of u's distinct
/// training items, times idf_w = ln((1 + M)/(1 + df_w)) + 1 with df_w the number of users whose
/// row has w (scikit-learn's smoothed idf).
/// </summary>
internal sealed class DgvaeWords
{
    readonly CsrMatrix _userRows;

    /// <summary>V, the vocabulary size.</summary>
    public int Count { get; }

    /// <summary>What the words are, for the run's manifest (e.g. "pseudo-words: k-means codes, 256 per modality of image, audio").</summary>
    public string Source { get; }

    DgvaeWords(Dataset data, int[][] itemWords, int count, string source)
    {
        Count = count;
        Source = source;
        _userRows = TfIdf(data.TrainMatrix, itemWords, count);
    }

    /// <summary>Words from the dataset's item text.</summary>
    public static DgvaeWords FromText(Dataset data)
    {
        var text = data.ItemText ?? throw new ArgumentException($"Dataset '{data.Name}' has no item text ({ItemTextFile.FileName}).");
        var tokens = text.Select(Tokenize).ToArray();
        var vocabulary = tokens.SelectMany(t => t).Distinct().Order(StringComparer.Ordinal)
            .Select((w, i) => (w, i)).ToDictionary(p => p.w, p => p.i, StringComparer.Ordinal);
        if (vocabulary.Count == 0) throw new ArgumentException($"Dataset '{data.Name}': {ItemTextFile.FileName} holds no words.");
        var itemWords = tokens.Select(t => t.Select(w => vocabulary[w]).ToArray()).ToArray();
        return new DgvaeWords(data, itemWords, vocabulary.Count, $"text: {ItemTextFile.FileName}, {vocabulary.Count} words");
    }

    /// <summary>Pseudo-words: <paramref name="codes"/> k-means codes per modality (capped at N).</summary>
    public static DgvaeWords FromCodes(Dataset data, IReadOnlyList<string> modalities, IReadOnlyList<Tensor> features, int codes, int iterations, ulong seed)
    {
        int perModality = Math.Min(codes, data.ItemCount);
        var itemWords = new int[data.ItemCount][];
        for (int i = 0; i < itemWords.Length; i++) itemWords[i] = new int[features.Count];
        for (int m = 0; m < features.Count; m++)
        {
            var code = KMeans.Codes(features[m], perModality, iterations, Rng.ForStream(seed, $"dgvae.kmeans.{modalities[m]}"));
            for (int i = 0; i < itemWords.Length; i++) itemWords[i][m] = m * perModality + code[i];
        }
        return new DgvaeWords(data, itemWords, perModality * features.Count,
            string.Create(CultureInfo.InvariantCulture, $"pseudo-words: k-means codes, {perModality} per modality of {string.Join(", ", modalities)}, {iterations} iterations"));
    }

    /// <summary>Lower-cased runs of letters and digits.</summary>
    internal static string[] Tokenize(string text)
    {
        var words = new List<string>();
        int start = -1;
        for (int c = 0; c <= text.Length; c++)
        {
            bool inWord = c < text.Length && char.IsLetterOrDigit(text[c]);
            if (inWord && start < 0) start = c;
            else if (!inWord && start >= 0)
            {
                words.Add(text[start..c].ToLowerInvariant());
                start = -1;
            }
        }
        return words.ToArray();
    }

    /// <summary>The TF-IDF rows of <paramref name="users"/>, dense (B×V).</summary>
    public Tensor Rows(ReadOnlySpan<int> users)
    {
        var rows = new Tensor(users.Length, Count);
        for (int b = 0; b < users.Length; b++)
        {
            var row = rows.Row(b);
            int u = users[b];
            for (int p = _userRows.RowPtr[u]; p < _userRows.RowPtr[u + 1]; p++) row[_userRows.ColIdx[p]] = _userRows.Values[p];
        }
        return rows;
    }

    /// <summary>User <paramref name="user"/>'s words (ascending) and their TF-IDF values (1×count).</summary>
    public (int[] Words, Tensor Values) Row(int user)
    {
        int start = _userRows.RowPtr[user], count = _userRows.RowPtr[user + 1] - start;
        return (_userRows.ColIdx.AsSpan(start, count).ToArray(), new Tensor(1, count, _userRows.Values.AsSpan(start, count).ToArray()));
    }

    static CsrMatrix TfIdf(CsrMatrix train, int[][] itemWords, int count)
    {
        int users = train.Rows;
        var counts = new float[count];
        var rows = new List<int>();
        var cols = new List<int>();
        var values = new List<float>();
        var documentFrequency = new int[count];
        var touched = new List<int>();
        for (int u = 0; u < users; u++)
        {
            foreach (int i in train.RowIndices(u))          // distinct items: a repeated pair counts once
                foreach (int w in itemWords[i])
                    if (counts[w]++ == 0f) touched.Add(w);
            touched.Sort();
            foreach (int w in touched)
            {
                rows.Add(u);
                cols.Add(w);
                values.Add(counts[w]);
                documentFrequency[w]++;
                counts[w] = 0f;
            }
            touched.Clear();
        }
        var idf = documentFrequency.Select(df => (float)(Math.Log((1.0 + users) / (1.0 + df)) + 1.0)).ToArray();
        for (int p = 0; p < values.Count; p++) values[p] *= idf[cols[p]];
        return CsrMatrix.FromCoo(users, count, rows.ToArray(), cols.ToArray(), values.ToArray());
    }
}
