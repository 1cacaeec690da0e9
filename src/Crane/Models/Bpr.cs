using Crane.Autograd;
using Crane.Data;
using Crane.Numerics;
using Crane.Optim;

namespace Crane.Models;

/// <summary>
/// BPR matrix factorisation (baselines.md): user and item tables E_u, E_i ∈ ℝ^{·×d}
/// (Xavier-normal), score ⟨e_u, e_i⟩, loss BPR + λ·EmbLoss(e_u, e_i⁺, e_i⁻).
/// Settings: <c>embedding_size</c> (d, default 64), <c>reg_weight</c> (λ, default 0.1: the best
/// validation Recall@20 of the grid on Amazon Baby, docs/results.md).
/// </summary>
public sealed class Bpr : InnerProductRecommender
{
    /// <summary>The catalog name.</summary>
    public const string Name = "bpr";

    readonly Variable _users, _items;
    readonly float _regWeight;

    /// <summary>A freshly initialised model for <paramref name="data"/>; draws from the "init" stream of <paramref name="seed"/>.</summary>
    public Bpr(Dataset data, ModelSettings settings, ulong seed)
    {
        int d = settings.Int("embedding_size", 64, min: 1);
        _regWeight = settings.Float("reg_weight", 0.1f, min: 0f);
        settings.ThrowIfUnused(Name);

        var init = Rng.ForStream(seed, "init");
        _users = Variable.Parameter(Init.XavierNormal(new Tensor(data.UserCount, d), init), "user_embedding");
        _items = Variable.Parameter(Init.XavierNormal(new Tensor(data.ItemCount, d), init), "item_embedding");
    }

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
