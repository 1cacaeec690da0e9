using Crane.Numerics;

namespace Crane.Models;

/// <summary>
/// DGVAE's training-time randomness, drawn in call order from one stream: Gumbel noise for the
/// soft assignments, dropout masks (inverted dropout: kept entries scaled by 1/(1−p), as
/// PyTorch), and the reparameterisation noise ε ~ N(0, std²).
/// </summary>
internal sealed class DgvaeNoise(Rng rng, float dropout, float std)
{
    /// <summary>g = −log(−log U), U uniform in (0, 1).</summary>
    public Tensor Gumbel(int rows, int cols)
    {
        var t = new Tensor(rows, cols);
        for (int i = 0; i < t.Length; i++)
        {
            double u = 1.0 - rng.NextDouble();                          // (0, 1]
            t.Data[i] = (float)-Math.Log(-Math.Log(Math.Min(u, 1.0 - 1e-12)));
        }
        return t;
    }

    /// <summary>Entries 0 with probability p, else 1/(1−p).</summary>
    public Tensor DropoutMask(int rows, int cols)
    {
        var t = new Tensor(rows, cols);
        if (dropout == 0f) { t.AsSpan().Fill(1f); return t; }
        float keep = 1f / (1f - dropout);
        for (int i = 0; i < t.Length; i++) t.Data[i] = rng.NextFloat() < dropout ? 0f : keep;
        return t;
    }

    /// <summary>ε ~ N(0, std²).</summary>
    public Tensor Epsilon(int rows, int cols)
    {
        var t = new Tensor(rows, cols);
        rng.FillNormal(t.Data, 0f, std);
        return t;
    }
}
