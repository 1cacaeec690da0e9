using System.Runtime.CompilerServices;
using Crane.Numerics;

namespace Crane.Optim;

/// <summary>One Adam step's constants.</summary>
/// <param name="StepSize">α / (1 − β₁ᵗ).</param>
/// <param name="SqrtCorrection2">√(1 − β₂ᵗ).</param>
/// <param name="Beta1">β₁.</param>
/// <param name="Beta2">β₂.</param>
/// <param name="Epsilon">ε.</param>
/// <param name="Decay">1 − α·λ for decoupled weight decay, 1 without.</param>
/// <param name="L2">Coupled L2 λ (g ← g + λ·p, torch.optim.Adam's weight_decay), 0 without.</param>
internal readonly record struct Coefficients(float StepSize, float SqrtCorrection2, float Beta1, float Beta2, float Epsilon, float Decay, float L2 = 0f);

/// <summary>
/// Adam's element-wise update in one pass over p, m, v and g (the update is memory-bound: four
/// separate passes read the 1.7 M-float tables of a Baby-sized model four times). Each lane does
/// the scalar operations in the scalar order without fused multiply-adds, so every vector width
/// gives the same bits.
/// </summary>
internal static class AdamKernel
{
    /// <summary>Updates p, m, v in place; an empty <paramref name="g"/> is a zero gradient.</summary>
    public static void Update(Span<float> p, Span<float> m, Span<float> v, ReadOnlySpan<float> g, in Coefficients k)
    {
        if (m.Length != p.Length || v.Length != p.Length || (!g.IsEmpty && g.Length != p.Length))
            throw new ArgumentException("Adam: parameter, moment and gradient blocks differ in length.");
        int done = Simd.Width switch
        {
            SimdWidth.Vector512 => Lanes<Float512>(p, m, v, g, k),
            SimdWidth.Vector256 => Lanes<Float256>(p, m, v, g, k),
            _ => 0,
        };
        Lanes<Float1>(p[done..], m[done..], v[done..], g.IsEmpty ? g : g[done..], k);
    }

    /// <summary>The whole vectors of the block; returns how many elements were done.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static int Lanes<V>(Span<float> p, Span<float> m, Span<float> v, ReadOnlySpan<float> g, in Coefficients k)
        where V : struct, IFloatVector<V>
    {
        int w = V.Count, n = p.Length - p.Length % w;
        bool hasGrad = !g.IsEmpty, coupled = k.L2 != 0f;
        V l2 = V.Create(k.L2);
        V beta1 = V.Create(k.Beta1), beta2 = V.Create(k.Beta2), decay = V.Create(k.Decay);
        V oneMinusBeta1 = V.Create(1f - k.Beta1), oneMinusBeta2 = V.Create(1f - k.Beta2);
        V stepSize = V.Create(k.StepSize), sqrtCorrection2 = V.Create(k.SqrtCorrection2), epsilon = V.Create(k.Epsilon);
        ref float pr = ref p.GetPinnableReference(), mr = ref m.GetPinnableReference(), vr = ref v.GetPinnableReference();
        ref float gr = ref Unsafe.AsRef(in g.GetPinnableReference());
        for (int j = 0; j < n; j += w)
        {
            V pj = V.Load(ref Unsafe.Add(ref pr, j));
            // Coupled L2 reads p before any decoupled decay (torch.optim.Adam: grad + λ·param).
            V penalty = coupled ? l2 * pj : V.Zero;
            if (k.Decay != 1f) pj *= decay;
            // m ← β₁m + (1−β₁)g ; v ← β₂v + (1−β₂)g·g
            V mj = V.Load(ref Unsafe.Add(ref mr, j)) * beta1, vj = V.Load(ref Unsafe.Add(ref vr, j)) * beta2;
            if (hasGrad || coupled)
            {
                V gj = hasGrad ? V.Load(ref Unsafe.Add(ref gr, j)) : V.Zero;
                if (coupled) gj += penalty;
                mj += oneMinusBeta1 * gj;
                vj += oneMinusBeta2 * gj * gj;
            }
            // p ← p − (α/c₁)·m / (√v/√c₂ + ε), PyTorch's order of operations.
            pj -= stepSize * mj / (V.Sqrt(vj) / sqrtCorrection2 + epsilon);
            V.Store(pj, ref Unsafe.Add(ref pr, j));
            V.Store(mj, ref Unsafe.Add(ref mr, j));
            V.Store(vj, ref Unsafe.Add(ref vr, j));
        }
        return n;
    }
}
