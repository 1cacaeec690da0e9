using Crane.Autograd;
using Crane.Numerics;

namespace Crane.Tests.Autograd;

/// <summary>
/// Compares back-propagated gradients with central finite differences.
/// The op's output is reduced to L = Σ wᵢ·yᵢ with fixed random weights w (accumulated in double),
/// so every output element contributes and no symmetry hides a wrong gradient.
/// Tolerance: float32 forward values carry a relative rounding error near 6e-8 per operation, so a
/// central difference with step h has an error of about |L|·1e-7/h from rounding plus O(h²)
/// truncation; with h = 1e-2 and O(1) inputs both are below ~1e-4·scale, and we accept
/// |analytic − numeric| ≤ 2e-3 + 2e-2·max(|analytic|, |numeric|).
/// </summary>
public static class GradCheck
{
    public const float Step = 1e-2f;
    public const double AbsTol = 2e-3, RelTol = 2e-2;

    /// <summary>A tensor with uniform values in [lo, hi), seeded.</summary>
    public static Tensor Random(int rows, int cols, int seed, float lo = -1f, float hi = 1f)
    {
        var rng = new System.Random(seed);
        var t = new Tensor(rows, cols);
        for (int i = 0; i < t.Length; i++) t.Data[i] = lo + (float)rng.NextDouble() * (hi - lo);
        return t;
    }

    /// <summary>
    /// Checks d(Σ w·f(inputs))/d(input) for every input in <paramref name="inputs"/> against
    /// central differences; throws with the first mismatch.
    /// </summary>
    public static void Check(Func<Variable[], Variable> f, params Tensor[] inputs)
    {
        var vars = inputs.Select(t => Variable.Parameter(t)).ToArray();
        var output = f(vars);
        var weights = Random(output.Rows, output.Cols, seed: 12345);
        Reduce(output, weights).Backward();

        for (int v = 0; v < inputs.Length; v++)
        {
            var x = inputs[v].Data;
            var analytic = vars[v].Grad?.Data ?? new float[x.Length];
            for (int i = 0; i < x.Length; i++)
            {
                float saved = x[i];
                x[i] = saved + Step;
                double plus = Loss(f, inputs, weights);
                x[i] = saved - Step;
                double minus = Loss(f, inputs, weights);
                x[i] = saved;
                AssertAgree($"input {v}", i, analytic[i], (plus - minus) / (2 * Step));
            }
        }
    }

    /// <summary>
    /// Checks a scalar loss against central differences in the parameters it reads itself (a
    /// model's own tables): the analytic gradient is what <paramref name="loss"/>().Backward()
    /// leaves in each parameter, the numeric one perturbs the parameter's values in place. A
    /// smaller <paramref name="step"/> suits losses with sharp curvature (the rounding error
    /// |L|·1e-7/step grows as it shrinks).
    /// </summary>
    public static void CheckParameters(Func<Variable> loss, IReadOnlyList<Variable> parameters, float step = Step)
    {
        foreach (var p in parameters) p.ZeroGrad();
        loss().Backward();
        foreach (var p in parameters)
        {
            var x = p.Value.Data;
            var analytic = p.Grad?.Data ?? new float[x.Length];
            for (int i = 0; i < x.Length; i++)
            {
                float saved = x[i];
                x[i] = saved + step;
                double plus = loss().Value.Data[0];
                x[i] = saved - step;
                double minus = loss().Value.Data[0];
                x[i] = saved;
                AssertAgree(p.Name ?? "parameter", i, analytic[i], (plus - minus) / (2 * step));
            }
        }
    }

    static void AssertAgree(string what, int element, double analytic, double numeric)
    {
        double tol = AbsTol + RelTol * Math.Max(Math.Abs(analytic), Math.Abs(numeric));
        if (Math.Abs(analytic - numeric) > tol)
            throw new Xunit.Sdk.XunitException(
                $"Gradient of {what} element {element}: analytic {analytic:G6} vs numeric {numeric:G6} (tolerance {tol:G3}).");
    }

    static double Loss(Func<Variable[], Variable> f, Tensor[] inputs, Tensor weights)
    {
        var y = f(inputs.Select(Variable.Constant).ToArray()).Value;
        double s = 0;
        for (int i = 0; i < y.Length; i++) s += (double)weights.Data[i] * y.Data[i];
        return s;
    }

    /// <summary>Σ w·y as a differentiable scalar, built here so the check relies on no op it tests.</summary>
    static Variable Reduce(Variable y, Tensor weights)
    {
        double s = 0;
        for (int i = 0; i < y.Value.Length; i++) s += (double)weights.Data[i] * y.Value.Data[i];
        return Variable.FromOp(Tensor.Scalar((float)s), [y], g => y.AccumulateGrad(
            weights.Data.Select(w => w * g.Data[0]).ToArray()));
    }
}
