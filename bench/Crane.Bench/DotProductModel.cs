using Crane.Autograd;
using Crane.Models;
using Crane.Numerics;

namespace Crane.Bench;

/// <summary>
/// Matrix factorisation with fixed random embeddings: score(u, i) = ⟨U_u, V_i⟩, one GEMM per
/// user batch, the way BPR and LightGCN score. Only for timing evaluation.
/// </summary>
public sealed class DotProductModel(Tensor users, Tensor items) : InnerProductRecommender
{
    public override string Kind => "dot-product";
    public override IReadOnlyList<Variable> Parameters => [];
    public override Variable Loss(TrainingBatch batch) => throw new NotSupportedException("Scoring only.");
    protected override (Tensor Users, Tensor Items) ScoringTables() => (users.Clone(), items.Clone());

    /// <summary>Embeddings of the given shape, normal with standard deviation 0.1.</summary>
    public static DotProductModel Random(int userCount, int itemCount, int dimension, ulong seed)
    {
        var rng = Rng.ForStream(seed, "bench-embeddings");
        var u = new Tensor(userCount, dimension);
        var v = new Tensor(itemCount, dimension);
        rng.FillNormal(u.Data, 0, 0.1f);
        rng.FillNormal(v.Data, 0, 0.1f);
        return new DotProductModel(u, v);
    }
}
