using Crane.Autograd;
using Crane.Numerics;

namespace Crane.Models;

/// <summary>The losses baselines.md shares between models (BPR, LightGCN, VBPR, LGMRec, …).</summary>
public static class Losses
{
    /// <summary>
    /// BPR: mean over the batch of −log σ(⟨u, i⁺⟩ − ⟨u, i⁻⟩), for B×d batch rows of users,
    /// positives and negatives. Written with a stable log-sigmoid (MMRec adds 1e-10 inside the log).
    /// </summary>
    public static Variable Bpr(Variable users, Variable positives, Variable negatives) => Bpr(users, positives, users, negatives);

    /// <summary>
    /// BPR where the user rows scored against the positives and against the negatives differ
    /// (e.g. a user profile with the positive item left out): −mean log σ(⟨u⁺, i⁺⟩ − ⟨u⁻, i⁻⟩).
    /// </summary>
    public static Variable Bpr(Variable usersForPositives, Variable positives, Variable usersForNegatives, Variable negatives)
    {
        var margin = Ops.Sub(Ops.RowDot(usersForPositives, positives), Ops.RowDot(usersForNegatives, negatives));
        return Ops.Scale(Ops.Mean(Ops.LogSigmoid(margin)), -1f);
    }

    /// <summary>
    /// MMRec's EmbLoss: (‖X₁‖_F + ‖X₂‖_F + …) / B, the <b>un-squared</b> Frobenius norms of the
    /// B×d batch matrices divided by the batch size B (the rows of the last one, as MMRec).
    /// </summary>
    public static Variable Emb(params Variable[] batches)
    {
        if (batches.Length == 0) throw new ArgumentException("EmbLoss needs at least one batch matrix.", nameof(batches));
        var total = Ops.FrobeniusNorm(batches[0]);
        for (int k = 1; k < batches.Length; k++) total = Ops.Add(total, Ops.FrobeniusNorm(batches[k]));
        return Ops.Scale(total, 1f / batches[^1].Rows);
    }

    /// <summary>
    /// (‖X₁‖²_F + ‖X₂‖²_F + …) / B: <b>squared</b> Frobenius norms of the B×d batch matrices
    /// divided by the batch size B (the rows of the last one) — crane-spec.md §3's L2 term.
    /// </summary>
    public static Variable SquaredL2(params Variable[] batches)
    {
        if (batches.Length == 0) throw new ArgumentException("The L2 term needs at least one batch matrix.", nameof(batches));
        var total = Ops.Sum(Ops.Mul(batches[0], batches[0]));
        for (int k = 1; k < batches.Length; k++) total = Ops.Add(total, Ops.Sum(Ops.Mul(batches[k], batches[k])));
        return Ops.Scale(total, 1f / batches[^1].Rows);
    }

    /// <summary>
    /// InfoNCE with cosine similarity and temperature τ between two B×d views of the same B
    /// entities: mean over rows r of −log( exp(cos(a_r, b_r)/τ) / Σ_j exp(cos(a_r, b_j)/τ) );
    /// the other rows of the batch are the negatives. The log-sum-exp subtracts each row's largest
    /// logit (<see cref="Ops.LogSumExpOfProducts"/>), so the exponentials cannot overflow.
    /// </summary>
    public static Variable InfoNce(Variable a, Variable b, float temperature)
    {
        var bn = Ops.L2Normalize(b);
        return CrossEntropyOfProducts(Ops.L2Normalize(a), bn, bn, temperature);
    }

    /// <summary>
    /// InfoNCE of B anchors against a candidate set (e.g. every user): mean over rows r of
    /// −log( exp(cos(a_r, p_r)/τ) / Σ_j exp(cos(a_r, c_j)/τ) ), j over the rows of
    /// <paramref name="candidates"/> (which hold each positive too, as in LGMRec). The
    /// B × candidates scores are computed block by block and never held at once.
    /// </summary>
    public static Variable InfoNce(Variable anchors, Variable positives, Variable candidates, float temperature) =>
        CrossEntropyOfProducts(Ops.L2Normalize(anchors), Ops.L2Normalize(positives), Ops.L2Normalize(candidates), temperature);

    /// <summary>
    /// In-batch softmax cross-entropy on raw inner products (no normalisation): mean over rows r
    /// of −log( exp(⟨a_r, b_r⟩/τ) / Σ_j exp(⟨a_r, b_j⟩/τ) ), i.e. PyTorch's
    /// CrossEntropyLoss(a·bᵀ/τ, labels = 0..B−1) as SLMRec's FAC task uses it.
    /// </summary>
    public static Variable InBatchCrossEntropy(Variable a, Variable b, float temperature) => CrossEntropyOfProducts(a, b, b, temperature);

    /// <summary>
    /// mean_r [log Σ_j exp(⟨a_r, c_j⟩/τ) − ⟨a_r, p_r⟩/τ]; the log-sum-exp runs block-wise with each
    /// row's maximum subtracted (<see cref="Ops.LogSumExpOfProducts"/>), so nothing overflows.
    /// </summary>
    static Variable CrossEntropyOfProducts(Variable anchors, Variable positives, Variable candidates, float temperature)
    {
        float inv = 1f / temperature;
        var logSumExp = Ops.LogSumExpOfProducts(anchors, candidates, inv);
        var positive = Ops.Scale(Ops.RowDot(anchors, positives), inv);
        return Ops.Mean(Ops.Sub(logSumExp, positive));
    }
}
