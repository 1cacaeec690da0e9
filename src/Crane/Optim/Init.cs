using Crane.Numerics;

namespace Crane.Optim;

/// <summary>
/// Weight initialisers. Fans follow PyTorch for a 2-D weight: fan_in = Cols, fan_out = Rows, so an
/// embedding table (n × d) initialised here matches MMRec's <c>nn.init.xavier_uniform_</c>.
/// </summary>
public static class Init
{
    /// <summary>Uniform in ±gain·√(6 / (fan_in + fan_out)).</summary>
    public static Tensor XavierUniform(Tensor t, Rng rng, float gain = 1f)
    {
        float bound = gain * MathF.Sqrt(6f / (t.Rows + t.Cols));
        rng.FillUniform(t.Data, -bound, bound);
        return t;
    }

    /// <summary>Normal with std gain·√(2 / (fan_in + fan_out)).</summary>
    public static Tensor XavierNormal(Tensor t, Rng rng, float gain = 1f)
    {
        rng.FillNormal(t.Data, 0f, gain * MathF.Sqrt(2f / (t.Rows + t.Cols)));
        return t;
    }

    /// <summary>Normal with the given standard deviation (e.g. 0.01 or 0.1 for embeddings).</summary>
    public static Tensor Normal(Tensor t, Rng rng, float std)
    {
        rng.FillNormal(t.Data, 0f, std);
        return t;
    }
}
