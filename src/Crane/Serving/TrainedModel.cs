using Crane.Data;
using Crane.Models;
using Crane.Numerics;

namespace Crane.Serving;

/// <summary>
/// A trained model ready to answer: its <see cref="Models.Scorer"/> (computed once), the raw id
/// maps, each user's training items (left out of recommendations) and the items' popularity
/// (the fallback for unknown users). Immutable: any number of threads may call it at once.
/// Everything here takes and returns the raw ids of the data files.
/// </summary>
/// <example>
/// <code>
/// var trained = TrainedModel.Load("runs/baby-lightgcn/model.crane");
/// foreach (var item in trained.Recommend("A2X9QY", k: 10)) Console.WriteLine($"{item.ItemId} {item.Score}");
/// </code>
/// </example>
public sealed class TrainedModel
{
    /// <summary>Users scored together by <see cref="RecommendMany"/>: one GEMM per block.</summary>
    const int UserBlock = 256;

    readonly float[] _popularity;

    internal TrainedModel(Scorer scorer, ModelOrigin origin, IdMap userIds, IdMap itemIds, CsrMatrix seen, IReadOnlyList<string>? itemText, ModelSource? source, float[]? popularity = null)
    {
        if (userIds.Count != scorer.UserCount || itemIds.Count != scorer.ItemCount || seen.Rows != scorer.UserCount || seen.Cols != scorer.ItemCount)
            throw new ArgumentException($"The id maps ({userIds.Count} users, {itemIds.Count} items) and the seen matrix ({seen.Rows}×{seen.Cols}) must match the scorer's {scorer.UserCount} users × {scorer.ItemCount} items.");
        if (itemText is not null && itemText.Count != scorer.ItemCount)
            throw new ArgumentException($"The item text has {itemText.Count} rows for {scorer.ItemCount} items.");
        (Scorer, Origin, UserIds, ItemIds, Seen, ItemText, Source) = (scorer, origin, userIds, itemIds, seen, itemText, source);
        if (popularity is null)
        {
            popularity = new float[scorer.ItemCount];
            foreach (int item in seen.ColIdx) popularity[item] += 1f;
        }
        _popularity = popularity;
    }

    /// <summary>
    /// The trained <paramref name="model"/>'s scorer with <paramref name="data"/>'s id maps and
    /// training interactions; <paramref name="settings"/> and <paramref name="seed"/> are recorded
    /// in a saved file (default: none and 0).
    /// </summary>
    public static TrainedModel From(Recommender model, Dataset data, IReadOnlyDictionary<string, string>? settings = null, ulong seed = 0)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        var scorer = model.CreateScorer();
        // A scorer that is not a pair of tables is saved as the model's parameters, and needs the inputs to rebuild it.
        var source = scorer is InnerProductScorer ? null : ModelSource.Of(model, data);
        var origin = new ModelOrigin(model.Kind, new SortedDictionary<string, string>((settings ?? new Dictionary<string, string>()).ToDictionary(), StringComparer.Ordinal), seed, data.Name);
        return new TrainedModel(scorer, origin, data.UserIds, data.ItemIds, data.TrainMatrix, data.ItemText, source);
    }

    /// <summary>Loads a saved model (<see cref="ModelFile"/>); nothing is recomputed but what the scorer needs.</summary>
    /// <exception cref="DataException">The file is not a Crane model, is corrupt or truncated, or comes from another format version.</exception>
    public static TrainedModel Load(string path) => ModelFile.Load(path);

    /// <summary>Saves atomically (temporary file + rename).</summary>
    public void Save(string path) => ModelFile.Save(path, this);

    /// <summary>What scores: users × items by internal id.</summary>
    public Scorer Scorer { get; }

    /// <summary>Which model, trained how, on what.</summary>
    public ModelOrigin Origin { get; }

    /// <summary>The model's name (e.g. "lightgcn").</summary>
    public string Kind => Origin.Kind;

    /// <summary>Raw user ids by internal id.</summary>
    public IdMap UserIds { get; }

    /// <summary>Raw item ids by internal id.</summary>
    public IdMap ItemIds { get; }

    /// <summary>Each user's training items (users × items, binary): what recommendations leave out.</summary>
    internal CsrMatrix Seen { get; }

    /// <summary>Each item's text (row i = item i) where the dataset had one, for display; else null.</summary>
    public IReadOnlyList<string>? ItemText { get; }

    /// <summary>For scorers saved as parameters: the model and the inputs that rebuild it; null for table scorers.</summary>
    internal ModelSource? Source { get; }

    /// <summary>
    /// Kernel threads for this model's calls (0, the default: the process's
    /// <see cref="Parallelism.Threads"/>); set it with <see cref="WithThreads"/>.
    /// </summary>
    public int Threads { get; private init; }

    /// <summary>
    /// This model with its calls on <paramref name="threads"/> kernel threads (0: the process
    /// default); it shares the scorer, nothing is copied. A server answering many requests at
    /// once is best served by 1: requests run side by side instead of splitting each one.
    /// </summary>
    public TrainedModel WithThreads(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(threads);
        return new TrainedModel(Scorer, Origin, UserIds, ItemIds, Seen, ItemText, Source, _popularity) { Threads = threads };
    }

    /// <summary>Users the model knows.</summary>
    public int UserCount => Scorer.UserCount;

    /// <summary>Items the model scores.</summary>
    public int ItemCount => Scorer.ItemCount;

    /// <summary>True when the model was trained with <paramref name="userId"/>.</summary>
    public bool ContainsUser(string userId) => UserIds.TryGetId(userId, out _);

    /// <summary>
    /// True when <paramref name="userId"/> is known and has training items. A user whose rows were
    /// all held out (valid or test) is known but was never trained on: its vector is its initial
    /// one, so its scores look personal and are not; callers should treat it as unknown.
    /// </summary>
    public bool HasTrainingItems(string userId) => UserIds.TryGetId(userId, out int user) && Seen.RowPtr[user + 1] > Seen.RowPtr[user];

    /// <summary>True when <paramref name="itemId"/> is one of the model's items.</summary>
    public bool ContainsItem(string itemId) => ItemIds.TryGetId(itemId, out _);

    /// <summary>The items <paramref name="userId"/> interacted with in training, in item-id order.</summary>
    /// <exception cref="UnknownIdException">The user is not in the model's data.</exception>
    public IReadOnlyList<string> SeenItems(string userId)
    {
        var items = Seen.RowIndices(User(userId));
        var raw = new string[items.Length];
        for (int k = 0; k < raw.Length; k++) raw[k] = ItemIds.Raw(items[k]);
        return raw;
    }

    /// <summary>
    /// The <paramref name="k"/> best-scored items for <paramref name="userId"/>, best first (ties
    /// to the lower internal item id); the user's training items are left out unless
    /// <paramref name="excludeSeen"/> is false, so fewer than k may come back.
    /// </summary>
    /// <exception cref="UnknownIdException">The user is not in the model's data.</exception>
    public IReadOnlyList<ScoredItem> Recommend(string userId, int k = 10, bool excludeSeen = true)
    {
        RequireK(k);
        int user = User(userId);
        using var threads = UseThreads();
        var scores = new Tensor(1, ItemCount);
        Scorer.Score([user], scores);
        return TopOf(scores, k, excludeSeen ? [user] : [])[0];
    }

    /// <summary>
    /// <see cref="Recommend"/> for many users at once, in the order given: users are scored in
    /// blocks, one matrix product per block, which is much faster per user than one at a time.
    /// </summary>
    /// <exception cref="UnknownIdException">One of the users is not in the model's data (checked before any work).</exception>
    public IReadOnlyList<IReadOnlyList<ScoredItem>> RecommendMany(IReadOnlyList<string> userIds, int k = 10, bool excludeSeen = true)
    {
        ArgumentNullException.ThrowIfNull(userIds);
        RequireK(k);
        var users = userIds.Select(User).ToArray();
        using var threads = UseThreads();
        var results = new List<IReadOnlyList<ScoredItem>>(users.Length);
        Tensor? scores = null;
        for (int start = 0; start < users.Length; start += UserBlock)
        {
            var block = users.AsSpan(start, Math.Min(UserBlock, users.Length - start));
            if (scores?.Rows != block.Length) scores = new Tensor(block.Length, ItemCount);
            Scorer.Score(block, scores);
            results.AddRange(TopOf(scores, k, excludeSeen ? block : default));
        }
        return results;
    }

    /// <summary>
    /// The <paramref name="k"/> items most like <paramref name="itemId"/> (for inner-product models
    /// the cosine of their item vectors), most alike first, the item itself left out.
    /// </summary>
    /// <exception cref="UnknownIdException">The item is not one of the model's.</exception>
    /// <exception cref="NotSupportedException">The model has no item vectors (DGVAE).</exception>
    public IReadOnlyList<ScoredItem> SimilarItems(string itemId, int k = 10)
    {
        RequireK(k);
        int item = Item(itemId);
        using var threads = UseThreads();
        var similarities = new Tensor(1, ItemCount);
        Scorer.ItemSimilarities(item, similarities.Data);
        similarities.Data[item] = float.NegativeInfinity;
        return Top(similarities, k)[0];
    }

    /// <summary>The model's scores of <paramref name="itemIds"/> for <paramref name="userId"/>, in the order given.</summary>
    /// <exception cref="UnknownIdException">The user or one of the items is not in the model's data.</exception>
    public IReadOnlyList<ScoredItem> Score(string userId, IReadOnlyList<string> itemIds)
    {
        ArgumentNullException.ThrowIfNull(itemIds);
        int user = User(userId);
        var items = itemIds.Select(Item).ToArray();
        using var threads = UseThreads();
        var scores = new float[items.Length];
        Scorer.Score(user, items, scores);
        return items.Select((item, k) => new ScoredItem(ItemIds.Raw(item), scores[k])).ToArray();
    }

    /// <summary>
    /// The <paramref name="k"/> items with the most training interactions (ties to the lower
    /// internal id), scored by that count; a known <paramref name="excludeSeenOf"/> user's training
    /// items are left out. The fallback for a user the model does not know.
    /// </summary>
    public IReadOnlyList<ScoredItem> MostPopular(int k = 10, string? excludeSeenOf = null)
    {
        RequireK(k);
        var counts = new Tensor(1, ItemCount, (float[])_popularity.Clone());
        int[]? seenOf = excludeSeenOf is not null && UserIds.TryGetId(excludeSeenOf, out int user) ? [user] : null;
        return TopOf(counts, k, seenOf)[0];
    }

    /// <summary>Top-k of each row after masking the training items of <paramref name="maskUsers"/>[row] (none when null).</summary>
    IReadOnlyList<ScoredItem>[] TopOf(Tensor scores, int k, ReadOnlySpan<int> maskUsers)
    {
        for (int r = 0; r < maskUsers.Length; r++)
        {
            var row = scores.Row(r);
            foreach (int item in Seen.RowIndices(maskUsers[r])) row[item] = float.NegativeInfinity;
        }
        return Top(scores, k);
    }

    IReadOnlyList<ScoredItem>[] Top(Tensor scores, int k)
    {
        k = Math.Min(k, ItemCount);
        var (indices, values) = (new int[scores.Rows * k], new float[scores.Rows * k]);
        TopK.PerRow(scores, k, indices, values);
        var rows = new IReadOnlyList<ScoredItem>[scores.Rows];
        for (int r = 0; r < rows.Length; r++)
        {
            var list = new List<ScoredItem>(k);
            // A masked item (−∞) is never returned, even when fewer than k others remain.
            for (int j = r * k; j < (r + 1) * k && indices[j] >= 0 && values[j] > float.NegativeInfinity; j++)
                list.Add(new ScoredItem(ItemIds.Raw(indices[j]), values[j]));
            rows[r] = list;
        }
        return rows;
    }

    int User(string userId)
    {
        ArgumentNullException.ThrowIfNull(userId);
        return UserIds.TryGetId(userId, out int user) ? user : throw new UnknownIdException("user", userId, UserCount);
    }

    int Item(string itemId)
    {
        ArgumentNullException.ThrowIfNull(itemId);
        return ItemIds.TryGetId(itemId, out int item) ? item : throw new UnknownIdException("item", itemId, ItemCount);
    }

    static void RequireK(int k)
    {
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), k, $"k must be at least 1, got {k}.");
    }

    Parallelism.ThreadScope? UseThreads() => Threads > 0 ? Parallelism.Use(Threads) : null;
}

/// <summary>Which model a <see cref="TrainedModel"/> is, trained how, on what.</summary>
/// <param name="Kind">The model's name (e.g. "lightgcn").</param>
/// <param name="Settings">Its fully resolved settings.</param>
/// <param name="Seed">The seed it was trained with.</param>
/// <param name="DatasetName">The dataset's name.</param>
public sealed record ModelOrigin(string Kind, IReadOnlyDictionary<string, string> Settings, ulong Seed, string DatasetName);

/// <summary>A model kept with the inputs that rebuild it, for scorers saved as parameters.</summary>
/// <param name="Model">The trained model.</param>
/// <param name="Modalities">The feature tables it reads.</param>
/// <param name="ItemText">The item text, when it reads it.</param>
internal sealed record ModelSource(Recommender Model, IReadOnlyDictionary<string, Tensor> Modalities, IReadOnlyList<string>? ItemText)
{
    public static ModelSource Of(Recommender model, Dataset data) => new(model,
        model.UsedModalities.ToDictionary(m => m, m => data.Modalities.TryGetValue(m, out var t) ? t
            : throw new ArgumentException($"Model '{model.Kind}' uses modality '{m}', which the dataset lacks.")),
        model.UsesItemText ? data.ItemText : null);
}
