using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Numerics.Tensors;
using Crane.Numerics;

namespace Crane.Data;

/// <summary>
/// The synthetic modalities as a dictionary whose tables are generated on first access (an
/// Electronics-sized 4096-d table is a gigabyte). Rows are made in fixed blocks, each from its own
/// named stream, so the values never depend on the thread count.
/// </summary>
internal sealed class SyntheticFeatures : IReadOnlyDictionary<string, Tensor>
{
    const int BlockRows = 256;

    readonly SyntheticOptions _options;
    readonly Lazy<Tensor> _latent;
    readonly SortedDictionary<string, Lazy<Tensor>> _tables = new(StringComparer.Ordinal);

    public SyntheticFeatures(SyntheticOptions options, int[] itemCluster)
    {
        _options = options;
        _latent = new Lazy<Tensor>(() => Latent(options, itemCluster));
        foreach (var spec in options.Modalities) _tables[spec.Name] = new Lazy<Tensor>(() => Features(spec));
    }

    /// <summary>z_i = centre of the item's cluster + jitter, both normal; Items × k.</summary>
    static Tensor Latent(SyntheticOptions o, int[] itemCluster)
    {
        var centres = new Tensor(o.Clusters, o.LatentDimension);
        Rng.ForStream(o.Seed, "synthetic:centres").FillNormal(centres.Data, 0f, 1f);
        var latent = new Tensor(o.Items, o.LatentDimension);
        Rng.ForStream(o.Seed, "synthetic:jitter").FillNormal(latent.Data, 0f, o.LatentJitter);
        for (int i = 0; i < o.Items; i++) TensorPrimitives.Add(latent.Row(i), centres.Row(itemCluster[i]), latent.Row(i));
        return latent;
    }

    /// <summary>x_i = Informativeness · z_i·W / √k + Noise · ε_i.</summary>
    Tensor Features(ModalitySpec spec)
    {
        var o = _options;
        var latent = _latent.Value;
        var projection = new Tensor(o.LatentDimension, spec.Dimension);
        Rng.ForStream(o.Seed, $"synthetic:projection:{spec.Name}").FillNormal(projection.Data, 0f, 1f);
        float scale = spec.Informativeness / MathF.Sqrt(o.LatentDimension);
        var features = new Tensor(o.Items, spec.Dimension);
        int blocks = (o.Items + BlockRows - 1) / BlockRows;
        Parallelism.ForBlocks(blocks, 1, (firstBlock, endBlock) =>
        {
            for (int b = firstBlock; b < endBlock; b++)
            {
                var rng = Rng.ForStream(o.Seed, $"synthetic:noise:{spec.Name}:{b}");
                for (int i = b * BlockRows; i < Math.Min(o.Items, (b + 1) * BlockRows); i++)
                {
                    var row = features.Row(i);
                    FillNoise(row, spec.Noise, rng);
                    var z = latent.Row(i);
                    for (int k = 0; k < z.Length; k++) TensorPrimitives.MultiplyAdd(projection.Row(k), z[k] * scale, row, row);
                }
            }
        });
        return features;
    }

    /// <summary>
    /// Approximately normal noise of standard deviation <paramref name="std"/>: the centred sum of four
    /// 16-bit uniforms from one 64-bit draw (Irwin–Hall), ~20× cheaper than Box–Muller, which
    /// matters for a gigabyte of features; its tails stop at ±3.46σ.
    /// </summary>
    static void FillNoise(Span<float> values, float std, Rng rng)
    {
        const float Unit = 1f / 65536f;
        float scale = std * MathF.Sqrt(3f); // variance of the sum of four U(0, 1) is 1/3
        for (int i = 0; i < values.Length; i++)
        {
            ulong bits = rng.NextUInt64();
            uint sum = (uint)(bits & 0xFFFF) + (uint)((bits >> 16) & 0xFFFF) + (uint)((bits >> 32) & 0xFFFF) + (uint)(bits >> 48);
            values[i] = (sum * Unit - 2f) * scale;
        }
    }

    public Tensor this[string key] => _tables[key].Value;
    public IEnumerable<string> Keys => _tables.Keys;
    public IEnumerable<Tensor> Values => _tables.Values.Select(t => t.Value);
    public int Count => _tables.Count;
    public bool ContainsKey(string key) => _tables.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out Tensor value)
    {
        value = _tables.TryGetValue(key, out var table) ? table.Value : null;
        return value is not null;
    }

    public IEnumerator<KeyValuePair<string, Tensor>> GetEnumerator() =>
        _tables.Select(t => KeyValuePair.Create(t.Key, t.Value.Value)).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
