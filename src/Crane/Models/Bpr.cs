using Crane.Autograd;
using Crane.Data;
using Crane.Numerics;
using Crane.Optim;

namespace Crane.Models;

/// <summary>
/// BPR matrix factorisation (baselines.md): user and item tables E_u, E_i ∈ ℝ^{·×d}
/// (Xavier-normal), score ⟨e_u, e_i⟩, loss BPR + λ·EmbLoss(e_u, e_i⁺, e_i⁻).
/// Settings: <see cref="BprSettings"/>.
/// </summary>
public sealed class Bpr : InnerProductRecommender
{
    /// <summary>The catalog name.</summary>
    public const string Name = "bpr";

    readonly Variable _users, _items;
    readonly float _regWeight;

    /// <summary>A freshly initialised model for <paramref name="data"/> (default settings unless given); draws from the "init" stream of <paramref name="seed"/>.</summary>
    public Bpr(Dataset data, BprSettings? settings = null, ulong seed = 999) : this(data, (settings ?? new()).ToModelSettings(), seed) { }

    /// <summary>The same from <c>--set</c> key=value pairs (<see cref="BprSettings"/> names the keys).</summary>
    public Bpr(Dataset data, ModelSettings settings, ulong seed)
    {
        Settings = ModelOptions.Read<BprSettings>(settings, Name);
        int d = Settings.EmbeddingSize;
        _regWeight = Settings.RegWeight;

        var init = Rng.ForStream(seed, "init");
        _users = Variable.Parameter(Init.XavierNormal(new Tensor(data.UserCount, d), init), "user_embedding");
        _items = Variable.Parameter(Init.XavierNormal(new Tensor(data.ItemCount, d), init), "item_embedding");
    }

    /// <summary>The settings it was built with.</summary>
    public BprSettings Settings { get; }

    /// <inheritdoc />
    public override string Kind => Name;

    /// <inheritdoc />
    public override IReadOnlyList<Variable> Parameters => [_users, _items];

    /// <inheritdoc />
    public override Variable Loss(TrainingBatch batch)
    {
        Triples.Require(batch, Name);
        var u = Ops.GatherRows(_users, batch.Users);
        var pos = Ops.GatherRows(_items, batch.Positives);
        var neg = Ops.GatherRows(_items, batch.Negatives);
        return Ops.Add(Losses.Bpr(u, pos, neg), Ops.Scale(Losses.Emb(u, pos, neg), _regWeight));
    }

    /// <inheritdoc />
    protected override (Tensor Users, Tensor Items) ScoringTables() => (_users.Value.Clone(), _items.Value.Clone());
}

/// <summary>BPR's settings.</summary>
public sealed record BprSettings : ModelOptions
{
    /// <summary>d, the embedding width (<c>embedding_size</c>).</summary>
    [Setting("embedding_size", Min = 1, Max = SettingLimits.Width, Why = SettingLimits.WidthWhy)] public int EmbeddingSize { get; init; } = 64;

    /// <summary>λ of the EmbLoss (<c>reg_weight</c>; 0.1, the best validation Recall@20 of the grid on Amazon Baby, docs/results.md).</summary>
    [Setting("reg_weight", Min = 0)] public float RegWeight { get; init; } = 0.1f;
}
