using Crane.Autograd;
using Crane.Numerics;

namespace Crane.Models;

/// <summary>Soft Gumbel-softmax and dropout: the random layers of LGMRec's hypergraph.</summary>
internal static class GumbelSoftmax
{
    /// <summary>
    /// softmax((logits + g)/τ) per row, g_ij = −log(−log U_ij) drawn from <paramref name="noise"/>
    /// (torch's F.gumbel_softmax, hard=False); with no noise the plain softmax(logits/τ).
    /// </summary>
    public static Variable Apply(Variable logits, float tau, Rng? noise)
    {
        if (noise is not null)
        {
            var g = new Tensor(logits.Rows, logits.Cols);
            for (int p = 0; p < g.Length; p++)
            {
                double u;
                do u = noise.NextDouble(); while (u == 0.0);
                g.Data[p] = (float)-Math.Log(-Math.Log(u));
            }
            logits = Ops.Add(logits, Variable.Constant(g));
        }
        return Ops.Softmax(Ops.Scale(logits, 1f / tau));
    }

    /// <summary>Inverted dropout: each entry kept with probability <paramref name="keep"/> and scaled by 1/keep (nn.Dropout(1 − keep) in training).</summary>
    public static Variable Dropout(Variable x, float keep, Rng rng)
    {
        if (keep >= 1f) return x;
        var mask = new Tensor(x.Rows, x.Cols);
        for (int p = 0; p < mask.Length; p++) mask.Data[p] = rng.NextFloat() < keep ? 1f / keep : 0f;
        return Ops.Mul(x, Variable.Constant(mask));
    }
}
