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
    /// the other rows of the batch are the negatives. The logits are shifted by −1/τ (cosines are
    /// at most 1), so the exponentials cannot overflow.
    /// </summary>
    public static Variable InfoNce(Variable a, Variable b, float temperature)
    {
        float inv = 1f / temperature;
        return DiagonalCrossEntropy(Ops.L2Normalize(a), Ops.L2Normalize(b), inv, _ => Tensor.Scalar(-inv));
    }

    /// <summary>
    /// In-batch softmax cross-entropy on raw inner products (no normalisation): mean over rows r
    /// of −log( exp(⟨a_r, b_r⟩/τ) / Σ_j exp(⟨a_r, b_j⟩/τ) ), i.e. PyTorch's
    /// CrossEntropyLoss(a·bᵀ/τ, labels = 0..B−1) as SLMRec's FAC task uses it. Each row's
    /// logits are shifted by their (constant) maximum, so the exponentials cannot overflow.
    /// </summary>
    public static Variable InBatchCrossEntropy(Variable a, Variable b, float temperature) =>
        DiagonalCrossEntropy(a, b, 1f / temperature, RowMaxima);

    /// <summary>
    /// mean_r [log Σ_j exp(s_rj + c_r) − (s_rr + c_r)] with s = inv·a·bᵀ and a constant shift c
    /// (a scalar or a column) from <paramref name="shift"/>(s): the shift cancels in value and
    /// gradient and only keeps exp in range.
    /// </summary>
    static Variable DiagonalCrossEntropy(Variable a, Variable b, float inv, Func<Tensor, Tensor> shift)
    {
        var scaled = Ops.Scale(Ops.MatMul(a, b, transB: true), inv);
        var c = Variable.Constant(shift(scaled.Value));
        var logSumExp = Ops.Log(Ops.Sum(Ops.Exp(Ops.Add(scaled, c)), Axis.Columns));   // log Σ_j e^{s_rj + c_r}
        var positive = Ops.Add(Ops.Scale(Ops.RowDot(a, b), inv), c);
        return Ops.Mean(Ops.Sub(logSumExp, positive));
    }

    static Tensor RowMaxima(Tensor logits)
    {
        var negated = new Tensor(logits.Rows, 1);
        for (int r = 0; r < logits.Rows; r++) negated.Data[r] = -System.Numerics.Tensors.TensorPrimitives.Max(logits.Row(r));
        return negated;
    }
}
