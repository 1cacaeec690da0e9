using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text;

namespace Crane.Numerics;

/// <summary>
/// A seeded, deterministic random generator (xoshiro256**). Each purpose — initialisation,
/// negative sampling, shuffling, dropout — draws from its own stream, derived from the seed and
/// the purpose's name, so adding draws in one place never shifts the numbers another place sees.
/// </summary>
public sealed class Rng
{
    ulong _s0, _s1, _s2, _s3;
    float _spareGaussian = float.NaN;

    /// <summary>The generator's whole state (for checkpoints): four words of xoshiro state and the spare Gaussian's bits.</summary>
    internal ulong[] SaveState() => [_s0, _s1, _s2, _s3, BitConverter.SingleToUInt32Bits(_spareGaussian)];

    /// <summary>Puts back a state from <see cref="SaveState"/>: the draws that follow are the ones that followed then.</summary>
    internal void RestoreState(IReadOnlyList<ulong> state)
    {
        if (state.Count != 5) throw new ArgumentException($"A generator state has 5 words, not {state.Count}.", nameof(state));
        (_s0, _s1, _s2, _s3) = (state[0], state[1], state[2], state[3]);
        _spareGaussian = BitConverter.UInt32BitsToSingle((uint)state[4]);
    }

    /// <summary>A generator for <paramref name="seed"/> with the default stream.</summary>
    public Rng(ulong seed) : this(seed, 0) { }

    Rng(ulong seed, ulong stream)
    {
        // SplitMix64 expands (seed, stream) into the 256-bit state, as xoshiro's authors advise.
        ulong x = seed ^ (stream * 0x9E3779B97F4A7C15UL);
        _s0 = SplitMix(ref x); _s1 = SplitMix(ref x); _s2 = SplitMix(ref x); _s3 = SplitMix(ref x);
    }

    /// <summary>An independent stream for <paramref name="purpose"/> (e.g. "init", "negatives").</summary>
    public static Rng ForStream(ulong seed, string purpose) => new(seed, Fnv1a(purpose) | 1);

    /// <summary>An independent child stream, for per-block work (e.g. one per thread block).</summary>
    public Rng Fork(string purpose) => new(NextUInt64(), Fnv1a(purpose) | 1);

    /// <summary>64 random bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong NextUInt64()
    {
        ulong result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0; _s3 ^= _s1; _s1 ^= _s2; _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A uniform integer in [0, <paramref name="n"/>), without modulo bias (Lemire's method).</summary>
    public int NextInt(int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), $"Upper bound must be positive, got {n}.");
        ulong bound = (ulong)n;
        UInt128 product = (UInt128)NextUInt64() * bound;
        ulong low = (ulong)product;
        if (low < bound)
        {
            ulong threshold = (0 - bound) % bound;
            while (low < threshold)
            {
                product = (UInt128)NextUInt64() * bound;
                low = (ulong)product;
            }
        }
        return (int)(product >> 64);
    }

    /// <summary>A uniform float in [0, 1) with 24 random bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float NextFloat() => (NextUInt64() >> 40) * (1f / (1 << 24));

    /// <summary>A uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A standard normal sample (Box–Muller, the second value kept for the next call).</summary>
    public float NextGaussian()
    {
        if (!float.IsNaN(_spareGaussian))
        {
            float spare = _spareGaussian;
            _spareGaussian = float.NaN;
            return spare;
        }
        double u1 = 1.0 - NextDouble(); // (0, 1]: log stays finite
        double u2 = NextDouble();
        double radius = Math.Sqrt(-2.0 * Math.Log(u1));
        _spareGaussian = (float)(radius * Math.Sin(2 * Math.PI * u2));
        return (float)(radius * Math.Cos(2 * Math.PI * u2));
    }

    /// <summary>Fills with uniform values in [lo, hi).</summary>
    public void FillUniform(Span<float> values, float lo, float hi)
    {
        for (int i = 0; i < values.Length; i++) values[i] = lo + NextFloat() * (hi - lo);
    }

    /// <summary>Fills with normal values of the given mean and standard deviation.</summary>
    public void FillNormal(Span<float> values, float mean, float std)
    {
        for (int i = 0; i < values.Length; i++) values[i] = mean + std * NextGaussian();
    }

    /// <summary>Shuffles in place (Fisher–Yates).</summary>
    public void Shuffle<T>(Span<T> values)
    {
        for (int i = values.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }

    static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    static ulong Fnv1a(string text)
    {
        ulong h = 0xCBF29CE484222325UL;
        foreach (byte b in Encoding.UTF8.GetBytes(text)) { h ^= b; h *= 0x100000001B3UL; }
        return h;
    }
}
