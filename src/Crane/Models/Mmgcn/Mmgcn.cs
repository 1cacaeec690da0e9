using Crane.Autograd;
using Crane.Data;
using Crane.Graphs;
using Crane.Numerics;
using Crane.Optim;

namespace Crane.Models;

/// <summary>
/// MMGCN (baselines.md, MMRec's version): one <see cref="MmgcnBranch"/> per modality on the
/// bipartite user–item graph with <b>mean</b> aggregation over neighbours (D⁻¹A, no degree
/// normalisation), <c>n_layers</c> layers, sharing the ID table e_id ((M+N)×d); final = mean of
/// the branches; score = inner product. Loss BPR + λ·[mean(e_id[u]² + e_id[i⁺/i⁻]²) + Σₘ mean(P_m²)].
/// Any number ≥ 1 of modalities.
/// Settings: <see cref="MmgcnSettings"/>.
/// </summary>
public sealed class Mmgcn : InnerProductRecommender
{
    /// <summary>The catalog name.</summary>
    public const string Name = "mmgcn";

    /// <summary>The modality whose branch maps to dim_latent first (MMRec maps v_feat, the image features).</summary>
    public const string MappedModality = "image";

    readonly int _users;
    readonly float _regWeight;
    readonly bool _quirks;
    readonly CsrMatrix _mean, _meanT;
    readonly Variable _idEmbedding;
    readonly MmgcnBranch[] _branches;

    /// <summary>A freshly initialised model for <paramref name="data"/> (default settings unless given); draws from the "init" stream of <paramref name="seed"/>.</summary>
    public Mmgcn(Dataset data, MmgcnSettings? settings = null, ulong seed = 999) : this(data, (settings ?? new()).ToModelSettings(), seed) { }

    /// <summary>The same from <c>--set</c> key=value pairs (<see cref="MmgcnSettings"/> names the keys).</summary>
    public Mmgcn(Dataset data, ModelSettings settings, ulong seed)
    {
        Settings = ModelOptions.Read(settings, Name, new MmgcnSettings { Modalities = ModalitySelection.PaperOrder(data, "image", "text") });
        var s = Settings;
        int d = s.EmbeddingSize, layers = s.Layers, latent = s.LatentWidth;
        (_regWeight, _quirks) = (s.RegWeight, s.MmrecQuirks);
        var modalities = ModalitySelection.Ordered(s.Modalities!, data, Name);

        _users = data.UserCount;
        _mean = UserItemGraph.MeanAdjacency(data.TrainMatrix);
        _meanT = _mean.Transpose();
        var init = Rng.ForStream(seed, "init");
        var id = Init.XavierNormal(new Tensor(data.UserCount + data.ItemCount, d), init);
        _idEmbedding = _quirks ? Variable.Constant(id) : Variable.Parameter(id, "id_embedding");
        _branches = modalities.Select(m =>
        {
            var features = data.Modalities[m];
            int? mapTo = m == MappedModality && features.Cols > latent ? latent : null;
            return new MmgcnBranch(m, features, data.UserCount, d, layers, mapTo, trainPreference: !_quirks, init);
        }).ToArray();
    }

    /// <summary>The settings it was built with.</summary>
    public MmgcnSettings Settings { get; }

    /// <inheritdoc />
    public override string Kind => Name;

    /// <inheritdoc />
    public override IReadOnlyList<Variable> Parameters =>
        [.. _idEmbedding.RequiresGrad ? [_idEmbedding] : Array.Empty<Variable>(), .. _branches.SelectMany(b => b.Parameters)];

    /// <inheritdoc />
    public override IReadOnlyList<string> UsedModalities => _branches.Select(b => b.Modality).ToArray();

    /// <summary>The branches, in the <c>modalities</c> order (for tests and docs).</summary>
    internal IReadOnlyList<MmgcnBranch> Branches => _branches;

    /// <summary>The (M+N)×d representation: the mean of the branch outputs.</summary>
    Variable Forward(Func<Variable, Variable> read)
    {
        var id = read(_idEmbedding);
        var sum = _branches[0].Forward(_mean, _meanT, id, read);
        for (int b = 1; b < _branches.Length; b++) sum = Ops.Add(sum, _branches[b].Forward(_mean, _meanT, id, read));
        return Ops.Scale(sum, 1f / _branches.Length);
    }

    /// <inheritdoc />
    public override Variable Loss(TrainingBatch batch)
    {
        Triples.Require(batch, Name);
        int[] pos = Triples.Shift(batch.Positives, _users), neg = Triples.Shift(batch.Negatives, _users);
        var final = Forward(p => p);
        var loss = Losses.Bpr(Ops.GatherRows(final, batch.Users), Ops.GatherRows(final, pos), Ops.GatherRows(final, neg));
        if (_regWeight == 0f) return loss;
        // MMRec: mean over the 2B stacked (user, item) rows of e_u² + e_item², items = positives and negatives.
        var users = Ops.GatherRows(_idEmbedding, [.. batch.Users, .. batch.Users]);
        var items = Ops.GatherRows(_idEmbedding, [.. pos, .. neg]);
        var reg = Ops.Mean(Ops.Add(Ops.Mul(users, users), Ops.Mul(items, items)));
        // MMRec adds mean(P_v²) of the image branch only (the others never train there); the
        // intended model trains every P_m, so every one is penalised.
        foreach (var b in _branches)
            if (!_quirks || b.Modality == MappedModality) reg = Ops.Add(reg, Ops.Mean(Ops.Mul(b.Preference, b.Preference)));
        return Ops.Add(loss, Ops.Scale(reg, _regWeight));
    }

    /// <inheritdoc />
    protected override (Tensor Users, Tensor Items) ScoringTables()
    {
        var final = Forward(p => Variable.Constant(p.Value)).Value;
        return IdEmbedding.Split(final, _users);
    }

}

/// <summary>MMGCN's settings.</summary>
public sealed record MmgcnSettings : ModelOptions
{
    /// <summary>d, the embedding width (<c>embedding_size</c>).</summary>
    [Setting("embedding_size", Min = 1, Max = SettingLimits.Width, Why = SettingLimits.WidthWhy)] public int EmbeddingSize { get; init; } = 64;

    /// <summary>Graph layers per branch (<c>n_layers</c>).</summary>
    [Setting("n_layers", Min = 1, Max = SettingLimits.Layers, Why = SettingLimits.LayersWhy)] public int Layers { get; init; } = 3;

    /// <summary>The width the image branch maps its raw features to first, when they are wider (<c>dim_latent</c>).</summary>
    [Setting("dim_latent", Min = 1, Max = SettingLimits.Width, Why = SettingLimits.WidthWhy)] public int LatentWidth { get; init; } = 256;

    /// <summary>λ of the L2 term (<c>reg_weight</c>).</summary>
    [Setting("reg_weight", Min = 0)] public float RegWeight { get; init; } = 1e-4f;

    /// <summary>Keep e_id and every P_m frozen at their initial values, as MMRec's plain tensors (<c>mmrec_quirks</c>).</summary>
    [Setting("mmrec_quirks")] public bool MmrecQuirks { get; init; } = false;

    /// <summary>The branches, in this order (<c>modalities</c>; null: the dataset's, image and text first, then the others by name).</summary>
    [Setting("modalities")] public string? Modalities { get; init; }
}
