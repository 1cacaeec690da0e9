using Crane.Autograd;
using Crane.Numerics;

namespace Crane.Optim;

/// <summary>Adam's hyper-parameters (PyTorch defaults).</summary>
/// <param name="LearningRate">Step size α.</param>
/// <param name="Beta1">Decay of the first moment.</param>
/// <param name="Beta2">Decay of the second moment.</param>
/// <param name="Epsilon">Added to √v̂ for stability.</param>
/// <param name="WeightDecay">
/// Decoupled weight decay (AdamW): p ← p − α·λ·p each step, apart from the adaptive update.
/// 0 disables it.
/// </param>
/// <param name="L2Penalty">
/// Coupled L2, <c>torch.optim.Adam</c>'s own <c>weight_decay</c>: g ← g + λ·p before the moments
/// are updated (so the decay is scaled by the adaptive step, unlike AdamW). 0 disables it.
/// </param>
public sealed record AdamOptions(
    float LearningRate = 1e-3f,
    float Beta1 = 0.9f,
    float Beta2 = 0.999f,
    float Epsilon = 1e-8f,
    float WeightDecay = 0f,
    float L2Penalty = 0f);

/// <summary>
/// Adam with bias correction (Kingma &amp; Ba), the same update as
/// <c>torch.optim.Adam</c> (its weight_decay is <see cref="AdamOptions.L2Penalty"/>; AdamW when
/// <see cref="AdamOptions.WeightDecay"/> is set).
/// Updates are dense: a row with a zero gradient still moves while its moments decay, which is
/// what PyTorch does for embedding tables and what published numbers rely on; a lazy sparse
/// update would not be exact.
/// </summary>
public sealed class Adam
{
    readonly Variable[] _parameters;
    readonly Tensor[] _m, _v;
    readonly float[] _scales;

    /// <summary>The hyper-parameters; the learning rate may be changed between steps.</summary>
    public AdamOptions Options { get; set; }

    /// <summary>Steps taken so far (t in the bias correction).</summary>
    public int StepCount { get; internal set; }

    /// <summary>m, the first moments, one per parameter (for checkpoints).</summary>
    internal Tensor[] FirstMoments => _m;

    /// <summary>v, the second moments, one per parameter (for checkpoints).</summary>
    internal Tensor[] SecondMoments => _v;

    /// <summary>
    /// An optimiser over the given trainable parameters; <paramref name="learningRateScale"/>, when
    /// given, multiplies the learning rate of each parameter (1: the common rate).
    /// </summary>
    public Adam(IEnumerable<Variable> parameters, AdamOptions? options = null, Func<Variable, float>? learningRateScale = null)
    {
        _parameters = parameters.ToArray();
        _scales = _parameters.Select(p => learningRateScale?.Invoke(p) ?? 1f).ToArray();
        foreach (float scale in _scales)
            if (!(scale > 0f && float.IsFinite(scale))) throw new ArgumentOutOfRangeException(nameof(learningRateScale), scale, "A learning-rate scale must be positive and finite.");
        foreach (var p in _parameters)
            if (!p.RequiresGrad) throw new ArgumentException($"{p} is not a trainable parameter.", nameof(parameters));
        _m = _parameters.Select(p => p.Value.ZerosLike()).ToArray();
        _v = _parameters.Select(p => p.Value.ZerosLike()).ToArray();
        Options = options ?? new AdamOptions();
    }

    /// <summary>Clears every parameter's gradient.</summary>
    public void ZeroGrad()
    {
        foreach (var p in _parameters) p.ZeroGrad();
    }

    /// <summary>
    /// One update from the current gradients. A parameter that received no gradient is treated
    /// as having a zero gradient (as PyTorch does for a parameter whose .grad is zero).
    /// </summary>
    public void Step()
    {
        StepCount++;
        var o = Options;
        float correction1 = 1f - MathF.Pow(o.Beta1, StepCount);
        float correction2 = 1f - MathF.Pow(o.Beta2, StepCount);
        var k = new Coefficients(o.LearningRate / correction1, MathF.Sqrt(correction2), o.Beta1, o.Beta2, o.Epsilon,
            o.WeightDecay != 0f ? 1f - o.LearningRate * o.WeightDecay : 1f, o.L2Penalty);
        for (int i = 0; i < _parameters.Length; i++)
        {
            var p = _parameters[i].Value.Data;
            var g = _parameters[i].Grad?.Data;
            var m = _m[i].Data;
            var v = _v[i].Data;
            float scale = _scales[i];
            var ki = scale == 1f ? k : k with
            {
                StepSize = k.StepSize * scale,
                Decay = o.WeightDecay != 0f ? 1f - o.LearningRate * scale * o.WeightDecay : 1f,
            };
            Parallelism.ForBlocks(p.Length, 1 << 15, (start, end) =>
                AdamKernel.Update(p.AsSpan(start, end - start), m.AsSpan(start, end - start), v.AsSpan(start, end - start),
                    g is null ? default : g.AsSpan(start, end - start), ki));
        }
    }
}
