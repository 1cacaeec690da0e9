using Crane.Autograd;
using Crane.Data;
using Crane.Graphs;
using Crane.Numerics;

namespace Crane.Models;

/// <summary>
/// DGVAE (Zhou &amp; Miao, IEEE TMM 2024; the CRANE paper's "DGAVE"), as baselines.md describes it:
/// two disentangled VAEs with K prototypes (<see cref="DisentangledVae"/>), one over the user's
/// item row x_u (smoothed with the frozen raw-feature kNN item graph S = Σₘ wₘ·Sₘ), one over the
/// user's TF-IDF word row w_u (<see cref="DgvaeWords"/>: item text, or k-means pseudo-words);
/// their codes coupled by prototype attention (<see cref="PrototypeCoupling"/>):
/// T|R = Attn(Z^r, Z^t), R|T = Attn(Z^t, Z^r), z̄_k = (R|T)_k + (T|R)_k; both decoders read z̄.
/// Loss = [CE_r + β·KL_r] + text_weight·[CE_t + β·KL_t] + mi_weight·MI with
/// β = min(anneal_cap, step/anneal_steps). Trains on batches of users (<see cref="BatchKind.Users"/>);
/// a user's scores are the rating decoder's logits log p_j.
/// </summary>
public sealed class Dgvae : Recommender
{
    /// <summary>The catalog name.</summary>
    public const string Name = "dgvae";

    readonly DisentangledVae _rating, _words;
    readonly DgvaeWords _wordRows;
    readonly CsrMatrix _train;
    readonly string[] _modalities;
    readonly float _textWeight, _miWeight, _annealCap, _dropout, _noiseStd;
    readonly int _annealSteps;
    readonly bool _usesText;
    readonly Rng _noise;
    int _step;

    /// <summary>One VAE's evaluation-time tables: c, the encoder weight with the smoothing folded in, and Ĥ.</summary>
    sealed record ScoringTables(Tensor Assignment, Tensor Weight, Variable Unit)
    {
        /// <summary>The same tables at a user's columns only (rows of c and of the weight); Ĥ stays whole for the decoder.</summary>
        public (Variable Assignment, Variable Weight) At(int[] columns) => (Gather(Assignment, columns), Gather(Weight, columns));

        static Variable Gather(Tensor table, int[] rows)
        {
            var gathered = new Tensor(rows.Length, table.Cols);
            RowOps.GatherRows(table, rows, gathered);
            return Variable.Constant(gathered);
        }
    }

    /// <summary>A freshly initialised model for <paramref name="data"/> (default settings unless given); draws from the "init" stream of <paramref name="seed"/>.</summary>
    public Dgvae(Dataset data, DgvaeSettings? settings = null, ulong seed = 999) : this(data, (settings ?? new()).ToModelSettings(), seed) { }

    /// <summary>The same from <c>--set</c> key=value pairs (<see cref="DgvaeSettings"/> names the keys).</summary>
    public Dgvae(Dataset data, ModelSettings settings, ulong seed)
    {
        Settings = ModelOptions.Read<DgvaeSettings>(settings, Name);
        var s = Settings;
        int d = s.EmbeddingSize, k = s.Prototypes, knnK = s.KnnK, codes = s.WordCodes, iterations = s.KMeansIterations;
        float tau = s.Temperature;
        (_dropout, _noiseStd, _textWeight, _miWeight, _annealCap, _annealSteps) = (s.Dropout, s.NoiseStd, s.TextWeight, s.MiWeight, s.AnnealCap, s.AnnealSteps);
        var mix = ModalityMix.Of(data, s.Modalities!, s.ModalityWeights, Name);
        var words = s.Words;
        if (knnK > data.ItemCount) throw new ArgumentException($"Setting knn_k={knnK} exceeds the {data.ItemCount} items.");
        if (words == "text" && data.ItemText is null)
            throw new ArgumentException($"Setting words=text, but dataset '{data.Name}' has no {ItemTextFile.FileName}; use words=pseudo (k-means codes of the features) or words=auto.");

        _modalities = mix.Modalities;
        _usesText = words == "text" || (words == "auto" && data.ItemText is not null);
        _wordRows = _usesText ? DgvaeWords.FromText(data) : DgvaeWords.FromCodes(data, mix.Modalities, mix.Features, codes, iterations, seed);
        _train = data.TrainMatrix;
        var init = Rng.ForStream(seed, "init");
        _rating = new DisentangledVae(data.ItemCount, d, k, tau, FeatureItemGraph.Mixed(mix.Pairs, knnK), init, "rating");
        _words = new DisentangledVae(_wordRows.Count, d, k, tau, null, init, "words");
        _noise = Rng.ForStream(seed, "dgvae.noise");
        Provenance = new Dictionary<string, string> { ["dgvae.words"] = _wordRows.Source };
    }

    /// <summary>The settings it was built with.</summary>
    public DgvaeSettings Settings { get; }

    /// <inheritdoc />
    public override string Kind => Name;

    /// <inheritdoc />
    public override IReadOnlyList<Variable> Parameters => [.. _rating.Parameters, .. _words.Parameters];

    /// <inheritdoc />
    public override IReadOnlyList<string> UsedModalities => _modalities;

    /// <inheritdoc />
    public override bool UsesItemText => _usesText;

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, string> Provenance { get; }

    /// <inheritdoc />
    public override BatchKind BatchKind => BatchKind.Users;

    /// <inheritdoc />
    protected internal override void SaveTrainingState(IDictionary<string, ulong[]> state)
    {
        state["dgvae.step"] = [(ulong)_step];
        state["dgvae.noise"] = _noise.SaveState();
    }

    /// <inheritdoc />
    protected internal override void RestoreTrainingState(IReadOnlyDictionary<string, ulong[]> state, int nextEpoch)
    {
        _step = (int)state["dgvae.step"][0];
        _noise.RestoreState(state["dgvae.noise"]);
    }

    /// <summary>β = min(cap, step / steps): the KL weight at training step <paramref name="step"/> (0 at the first step).</summary>
    public static float KlWeight(int step, float cap = 0.2f, int steps = 20000) => Math.Min(cap, (float)((double)step / steps));

    /// <inheritdoc />
    public override Variable Loss(TrainingBatch batch)
    {
        if (batch.Users.Length == 0) throw new ArgumentException($"Model '{Name}' trains on batches of users, but the batch has none.");
        return LossAt(batch.Users, KlWeight(_step++, _annealCap, _annealSteps), new DgvaeNoise(_noise, _dropout, _noiseStd));
    }

    /// <summary>The loss of <paramref name="users"/> with KL weight <paramref name="beta"/> and the given noise (null: none).</summary>
    internal Variable LossAt(int[] users, float beta, DgvaeNoise? noise)
    {
        var x = Variable.Constant(RatingRows(users));
        var w = Variable.Constant(_wordRows.Rows(users));
        var (ratingC, wordC) = (_rating.Assignment(noise, p => p), _words.Assignment(noise, p => p));
        var (zBar, rGivenT, tGivenR, ratingKl, wordKl) = Forward(x, w, ratingC, wordC, noise, p => p);
        var rating = Ops.Add(DisentangledVae.MultinomialLoss(_rating.Logits(zBar, ratingC, p => p), x), Ops.Scale(ratingKl, beta));
        var text = Ops.Add(DisentangledVae.MultinomialLoss(_words.Logits(zBar, wordC, p => p), w), Ops.Scale(wordKl, beta));
        var loss = Ops.Add(rating, Ops.Scale(text, _textWeight));
        return _rating.K > 1 ? Ops.Add(loss, Ops.Scale(MutualInformation(rGivenT, tGivenR), _miWeight)) : loss;
    }

    /// <summary>
    /// Both encoders, then the coupling: z̄_k = (R|T)_k + (T|R)_k, with R|T, T|R and each side's KL.
    /// The weights, when given, are the evaluation-time encoder weights at the columns of x and w.
    /// </summary>
    (Variable[] ZBar, Variable[] RGivenT, Variable[] TGivenR, Variable RatingKl, Variable WordKl)
        Forward(Variable x, Variable w, Variable ratingC, Variable wordC, DgvaeNoise? noise, Func<Variable, Variable> read,
            Variable? ratingWeight = null, Variable? wordWeight = null)
    {
        var (zr, ratingKl) = _rating.Encode(x, ratingC, noise, read, ratingWeight);
        var (zt, wordKl) = _words.Encode(w, wordC, noise, read, wordWeight);
        var tGivenR = PrototypeCoupling.Attend(zr, zt);
        var rGivenT = PrototypeCoupling.Attend(zt, zr);
        var zBar = rGivenT.Zip(tGivenR, Ops.Add).ToArray();
        return (zBar, rGivenT, tGivenR, ratingKl, wordKl);
    }

    /// <summary>
    /// MI = mean_k mean_u[ mean_{j≠k} softplus((R|T)_k·(T|R)_j) + softplus(−(R|T)_k·(T|R)_k) ] (needs K ≥ 2).
    /// </summary>
    internal static Variable MutualInformation(IReadOnlyList<Variable> rGivenT, IReadOnlyList<Variable> tGivenR)
    {
        int k = rGivenT.Count;
        Variable? total = null;
        for (int a = 0; a < k; a++)
        {
            var negatives = Enumerable.Range(0, k).Where(j => j != a)
                .Select(j => Ops.Softplus(Ops.RowDot(rGivenT[a], tGivenR[j]))).Aggregate(Ops.Add);
            var term = Ops.Add(Ops.Scale(negatives, 1f / (k - 1)), Ops.Softplus(Ops.Scale(Ops.RowDot(rGivenT[a], tGivenR[a]), -1f)));
            var mean = Ops.Mean(term);
            total = total is null ? mean : Ops.Add(total, mean);
        }
        return Ops.Scale(total!, 1f / k);
    }

    /// <summary>The binary training rows x_u of <paramref name="users"/> (B×N; a repeated pair counts once).</summary>
    Tensor RatingRows(ReadOnlySpan<int> users)
    {
        var rows = new Tensor(users.Length, _train.Cols);
        for (int b = 0; b < users.Length; b++)
        {
            var row = rows.Row(b);
            foreach (int i in _train.RowIndices(users[b])) row[i] = 1f;
        }
        return rows;
    }

    /// <inheritdoc />
    public override Scorer CreateScorer()
    {
        using var noGrad = Variable.NoGrad();
        // The scorer reads a copy of the parameters, so later training steps leave it unchanged.
        var copies = new Dictionary<Variable, Variable>(ReferenceEqualityComparer.Instance);
        foreach (var p in Parameters) copies[p] = Variable.Constant(p.Value.Clone());
        Variable Read(Variable p) => copies[p];
        return new DgvaeScorer(this, Freeze(_rating, Read), Freeze(_words, Read), Read);
    }

    static ScoringTables Freeze(DisentangledVae vae, Func<Variable, Variable> read) =>
        new(vae.Assignment(null, read).Value, vae.EvaluationWeight(read).Value, vae.UnitEmbeddings(read));

    /// <summary>
    /// A user's scores are the rating decoder's logits of the user's encoded rows, so the scorer
    /// runs the encoder per user (on a frozen copy of the parameters).
    /// </summary>
    sealed class DgvaeScorer(Dgvae model, ScoringTables ratingTables, ScoringTables wordTables, Func<Variable, Variable> read)
        : Scorer(Name, model._train.Rows, model._train.Cols)
    {
        public override void Score(ReadOnlySpan<int> users, Tensor scores)
        {
            RequireShape(users, scores);
            using var noGrad = Variable.NoGrad();
            // One user at a time, encoding only the user's own columns (x_k is zero elsewhere): the
            // element-wise kernels take a scalar path on spans shorter than a vector (a B×1 column of
            // a small batch), so batching users would make a user's bits depend on the batch.
            for (int b = 0; b < users.Length; b++)
            {
                var (items, ones) = Columns(model._train.RowIndices(users[b]).ToArray(), null);
                var (words, tfIdf) = model._wordRows.Row(users[b]);
                (words, tfIdf) = Columns(words, tfIdf);
                var (ratingC, ratingW) = ratingTables.At(items);
                var (wordC, wordW) = wordTables.At(words);
                var forward = model.Forward(Variable.Constant(ones), Variable.Constant(tfIdf), ratingC, wordC, null, read, ratingW, wordW);
                model._rating.Logits(forward.ZBar, Variable.Constant(ratingTables.Assignment), read, ratingTables.Unit).Value.Data.CopyTo(scores.Row(b));
            }
        }
    }

    /// <summary>The rating decoder's logits from the users' full rows, batched (what <see cref="DgvaeScorer"/> computes user by user on their own columns).</summary>
    internal Tensor FullRowLogits(int[] users)
    {
        static Variable Read(Variable p) => Variable.Constant(p.Value);
        var (ratingC, wordC) = (_rating.Assignment(null, Read), _words.Assignment(null, Read));
        var forward = Forward(Variable.Constant(RatingRows(users)), Variable.Constant(_wordRows.Rows(users)), ratingC, wordC, null, Read);
        return _rating.Logits(forward.ZBar, ratingC, Read).Value;
    }

    /// <summary>
    /// A user's columns and the 1×n row of their values (ones when <paramref name="values"/> is
    /// null); a user without any gets column 0 with value 0, which encodes exactly like the empty row.
    /// </summary>
    static (int[] Columns, Tensor Values) Columns(int[] columns, Tensor? values)
    {
        if (columns.Length == 0) return ([0], new Tensor(1, 1));
        return (columns, values ?? Tensor.Filled(1, columns.Length, 1f));
    }
}

/// <summary>DGVAE's settings.</summary>
public sealed record DgvaeSettings : ModelOptions
{
    /// <summary>d, the code width (<c>embedding_size</c>).</summary>
    [Setting("embedding_size", Min = 1, Max = SettingLimits.Width, Why = SettingLimits.WidthWhy)] public int EmbeddingSize { get; init; } = 64;

    /// <summary>K, the disentangled prototypes (<c>n_prototypes</c>).</summary>
    [Setting("n_prototypes", Min = 1, Max = SettingLimits.Components, Why = SettingLimits.ComponentsWhy)] public int Prototypes { get; init; } = 3;

    /// <summary>τ of the prototype assignment (<c>tau</c>).</summary>
    [Setting("tau", Above = 0)] public float Temperature { get; init; } = 0.1f;

    /// <summary>Input dropout of the encoders (<c>dropout</c>).</summary>
    [Setting("dropout", Min = 0, Below = 1)] public float Dropout { get; init; } = 0.5f;

    /// <summary>The standard deviation of the input noise (<c>noise_std</c>).</summary>
    [Setting("noise_std", Min = 0)] public float NoiseStd { get; init; } = 0.075f;

    /// <summary>The weight of the word VAE's terms (<c>text_weight</c>).</summary>
    [Setting("text_weight", Min = 0)] public float TextWeight { get; init; } = 0.2f;

    /// <summary>The weight of the mutual-information term (<c>mi_weight</c>).</summary>
    [Setting("mi_weight", Min = 0)] public float MiWeight { get; init; } = 0.4f;

    /// <summary>The largest KL weight β (<c>anneal_cap</c>).</summary>
    [Setting("anneal_cap", Min = 0)] public float AnnealCap { get; init; } = 0.2f;

    /// <summary>Steps over which β rises to its cap (<c>anneal_steps</c>).</summary>
    [Setting("anneal_steps", Min = 1)] public int AnnealSteps { get; init; } = 20000;

    /// <summary>k of the raw-feature item graphs that smooth x_u (<c>knn_k</c>).</summary>
    [Setting("knn_k", Min = 1, Max = SettingLimits.Neighbors, Why = SettingLimits.NeighborsWhy)] public int KnnK { get; init; } = FeatureItemGraph.DefaultK;

    /// <summary>The modalities of the item graph (<c>modalities</c>).</summary>
    [Setting("modalities")] public string? Modalities { get; init; } = "image,text";

    /// <summary>Their weights, one per modality (<c>modality_weights</c>).</summary>
    [Setting("modality_weights")] public string ModalityWeights { get; init; } = "0.04,0.96";

    /// <summary>Where the words come from (<c>words</c>: text, the item text; pseudo, k-means codes of the features; auto, text where the dataset has it).</summary>
    [Setting("words", Allowed = new[] { "auto", "text", "pseudo" })] public string Words { get; init; } = "auto";

    /// <summary>Pseudo-words: k-means codes per modality (<c>word_codes</c>).</summary>
    [Setting("word_codes", Min = 1, Max = SettingLimits.Components, Why = SettingLimits.ComponentsWhy)] public int WordCodes { get; init; } = 256;

    /// <summary>Pseudo-words: k-means iterations (<c>kmeans_iterations</c>).</summary>
    [Setting("kmeans_iterations", Min = 1)] public int KMeansIterations { get; init; } = 20;
}
