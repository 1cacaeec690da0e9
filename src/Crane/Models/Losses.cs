using Crane.Autograd;

namespace Crane.Models;

/// <summary>The losses baselines.md shares between models (BPR, LightGCN, VBPR, LGMRec, …).</summary>
public static class Losses
{
    /// <summary>
    /// BPR: mean over the batch of −log σ(⟨u, i⁺⟩ − ⟨u, i⁻⟩), for B×d batch rows of users,
    /// positives and negatives. Written with a stable log-sigmoid (MMRec adds 1e-10 inside the log).
    /// </summary>
    public static Variable Bpr(Variable users, Variable positives, Variable negatives)
    {
        var margin = Ops.Sub(Ops.RowDot(users, positives), Ops.RowDot(users, negatives));
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
}
