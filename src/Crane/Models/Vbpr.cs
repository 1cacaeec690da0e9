using Crane.Autograd;
using Crane.Data;
using Crane.Numerics;
using Crane.Optim;

namespace Crane.Models;

/// <summary>
/// VBPR (baselines.md, MMRec's version): user θ_u ∈ ℝ^{2d}; item [γ_i ; x_i·W + b] ∈ ℝ^{2d} with
/// γ_i ∈ ℝ^d and one linear layer over the item's concatenated raw features
/// x_i = [x_i^{m1} ; x_i^{m2} ; …] (the <c>modalities</c> order; text first, then image, as the
/// paper and MMRec); score ⟨θ_u, item_i⟩, no bias terms. Loss BPR + λ·EmbLoss on the 2d-wide
/// rows θ_u, item_i⁺, item_i⁻. Any number ≥ 1 of modalities.
/// Settings: <see cref="VbprSettings"/>.
/// </summary>
public sealed class Vbpr : InnerProductRecommender
{
    /// <summary>The catalog name.</summary>
    public const string Name = "vbpr";

    readonly string[] _modalities;
    readonly Tensor _features;           // N × ΣD_m: the concatenated raw features, frozen
    readonly Variable _users, _items;    // θ (M×2d) and γ (N×d)
    readonly Linear _content;            // W, b: ΣD_m → d
    readonly float _regWeight;

    /// <summary>A freshly initialised model for <paramref name="data"/> (default settings unless given); draws from the "init" stream of <paramref name="seed"/>.</summary>
    public Vbpr(Dataset data, VbprSettings? settings = null, ulong seed = 999) : this(data, (settings ?? new()).ToModelSettings(), seed) { }

    /// <summary>The same from <c>--set</c> key=value pairs (<see cref="VbprSettings"/> names the keys).</summary>
    public Vbpr(Dataset data, ModelSettings settings, ulong seed)
    {
        Settings = ModelOptions.Read(settings, Name, new VbprSettings { Modalities = ModalitySelection.PaperOrder(data, "text", "image") });
        int d = Settings.EmbeddingSize;
        _regWeight = Settings.RegWeight;
        _modalities = ModalitySelection.Ordered(Settings.Modalities!, data, Name);

        _features = ConcatColumns(_modalities.Select(m => data.Modalities[m]).ToArray());
        var init = Rng.ForStream(seed, "init");
        _users = Variable.Parameter(Init.XavierUniform(new Tensor(data.UserCount, 2 * d), init), "user_embedding");
        _items = Variable.Parameter(Init.XavierUniform(new Tensor(data.ItemCount, d), init), "item_embedding");
        _content = new Linear(_features.Cols, d, init, "item_linear", (w, r) => Init.XavierNormal(w, r));
        Array.Clear(_content.Bias.Value.Data); // MMRec's xavier_normal_initialization zeroes Linear biases
    }

    /// <summary>The settings it was built with.</summary>
    public VbprSettings Settings { get; }

    /// <inheritdoc />
    public override string Kind => Name;

    /// <inheritdoc />
    public override IReadOnlyList<Variable> Parameters => [_users, _items, .. _content.Parameters];

    /// <inheritdoc />
    public override IReadOnlyList<string> UsedModalities => _modalities;

    /// <summary>Item rows [γ_i ; x_i·W + b] for <paramref name="items"/> (only those rows are projected: exact).</summary>
    Variable ItemRows(int[] items, Func<Variable, Variable> read) => Ops.ConcatColumns(
        Ops.GatherRows(read(_items), items),
        _content.Apply(Ops.GatherRows(Variable.Constant(_features), items), read));

    /// <inheritdoc />
    public override Variable Loss(TrainingBatch batch)
    {
        Triples.Require(batch, Name);
        var theta = Ops.GatherRows(_users, batch.Users);
        var (pos, neg) = (ItemRows(batch.Positives, p => p), ItemRows(batch.Negatives, p => p));
        return Ops.Add(Losses.Bpr(theta, pos, neg), Ops.Scale(Losses.Emb(theta, pos, neg), _regWeight));
    }

    /// <inheritdoc />
    protected override (Tensor Users, Tensor Items) ScoringTables() =>
        (_users.Value.Clone(), ItemRows(Enumerable.Range(0, _items.Rows).ToArray(), p => Variable.Constant(p.Value)).Value);

    static Tensor ConcatColumns(Tensor[] parts) => Ops.ConcatColumns(parts.Select(Variable.Constant).ToArray()).Value;
}

/// <summary>VBPR's settings.</summary>
public sealed record VbprSettings : ModelOptions
{
    /// <summary>d: θ_u and the item rows are 2d wide (<c>embedding_size</c>).</summary>
    [Setting("embedding_size", Min = 1, Max = SettingLimits.Width, Why = SettingLimits.WidthWhy)] public int EmbeddingSize { get; init; } = 64;

    /// <summary>λ of the EmbLoss (<c>reg_weight</c>; 0.1 as BPR's: the grid is BPR's).</summary>
    [Setting("reg_weight", Min = 0)] public float RegWeight { get; init; } = 0.1f;

    /// <summary>The modalities concatenated, in this order (<c>modalities</c>; null: the dataset's, text and image first, then the others by name).</summary>
    [Setting("modalities")] public string? Modalities { get; init; }
}
