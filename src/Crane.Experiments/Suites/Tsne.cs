using System.Runtime.Intrinsics;
using Crane.Numerics;

namespace Crane.Experiments;

/// <summary>Settings of <see cref="Tsne"/>.</summary>
/// <param name="Perplexity">The effective number of neighbours each point's Gaussian covers (30).</param>
/// <param name="Iterations">Gradient steps (1000).</param>
/// <param name="Seed">Seed of the initial layout.</param>
/// <param name="Exaggeration">P is multiplied by this for the first <paramref name="ExaggerationIterations"/> steps (12), so clusters form early.</param>
/// <param name="ExaggerationIterations">Steps with exaggeration and momentum 0.5 (250); momentum 0.8 after.</param>
public sealed record TsneOptions(double Perplexity = 30, int Iterations = 1000, ulong Seed = 999, double Exaggeration = 12, int ExaggerationIterations = 250);

/// <summary>
/// Exact t-SNE (van der Maaten and Hinton, 2008) to two dimensions, in managed code. Input
/// affinities p_{j|i} ∝ exp(−β_i‖x_i − x_j‖²) with β_i found by bisection so that each row's
/// entropy is log(perplexity); P = (P_{·|·} + P_{·|·}ᵀ)/(2n). Output affinities
/// q_ij = w_ij / Z with w_ij = (1 + ‖y_i − y_j‖²)⁻¹; gradient 4·Σ_j (p_ij − q_ij)·w_ij·(y_i − y_j),
/// descended with momentum and per-coordinate gains, early exaggeration first. O(n²) time and
/// memory (one n×n float matrix): for a sample of a few thousand points, never a whole catalogue.
/// Each row is computed by one thread in a fixed order, so a seed gives the same layout for any
/// thread count (on one machine: the vector path sums in another order than the scalar one).
/// </summary>
public static class Tsne
{
    /// <summary>The n×2 layout of the n rows of <paramref name="points"/>, row-major (x₀, y₀, x₁, y₁, …).</summary>
    /// <exception cref="ArgumentException">Too few points for the perplexity, or a non-positive setting.</exception>
    public static double[] Embed(Tensor points, TsneOptions? options = null)
    {
        var o = options ?? new TsneOptions();
        int n = points.Rows;
        if (!(o.Perplexity > 0)) throw new ArgumentException($"The t-SNE perplexity must be positive, got {o.Perplexity}.", nameof(options));
        if (o.Iterations < 1) throw new ArgumentException($"t-SNE needs at least one iteration, got {o.Iterations}.", nameof(options));
        if (n <= o.Perplexity + 1)
            throw new ArgumentException($"t-SNE with perplexity {o.Perplexity} needs more than {o.Perplexity + 1} points; got {n}. Lower the perplexity or sample more points.", nameof(points));

        return Optimize(JointAffinities(points, o.Perplexity), n, o);
    }

    /// <summary>The gradient descent of <see cref="Embed"/> from the joint affinities <paramref name="p"/> (n×n).</summary>
    internal static double[] Optimize(float[] p, int n, TsneOptions o)
    {
        var y = new double[2 * n];
        var init = Rng.ForStream(o.Seed, "tsne");
        for (int k = 0; k < y.Length; k++) y[k] = 1e-4 * init.NextGaussian();

        double learningRate = Math.Max(n / o.Exaggeration / 4, 50);    // scikit-learn's "auto"
        var update = new double[2 * n];
        var gains = Enumerable.Repeat(1.0, 2 * n).ToArray();
        var attract = new double[2 * n];
        var repel = new double[2 * n];
        var rowZ = new double[n];
        double[] xs = new double[n], ys = new double[n];
        for (int t = 0; t < o.Iterations; t++)
        {
            bool early = t < o.ExaggerationIterations;
            double exaggeration = early ? o.Exaggeration : 1, momentum = early ? 0.5 : 0.8;
            for (int i = 0; i < n; i++) (xs[i], ys[i]) = (y[2 * i], y[2 * i + 1]);
            Forces(p, xs, ys, attract, repel, rowZ);
            double z = 0;
            for (int i = 0; i < n; i++) z += rowZ[i];
            for (int k = 0; k < y.Length; k++)
            {
                double grad = 4 * (exaggeration * attract[k] - repel[k] / z);
                gains[k] = Math.Sign(grad) != Math.Sign(update[k]) ? gains[k] + 0.2 : Math.Max(gains[k] * 0.8, 0.01);
                update[k] = momentum * update[k] - learningRate * gains[k] * grad;
                y[k] += update[k];
            }
            Center(y);
        }
        return y;
    }

    /// <summary>
    /// Per row i, in one pass over j: Σ_j p_ij w_ij (y_i − y_j) into <paramref name="attract"/>,
    /// Σ_j w_ij² (y_i − y_j) into <paramref name="repel"/> and Σ_{j≠i} w_ij into <paramref name="rowZ"/>;
    /// the gradient is 4·(attract − repel / Z) with Z = Σ rowZ. Four j per step in 256-bit lanes
    /// (each lane the scalar arithmetic; lanes summed in a fixed order), unless
    /// <see cref="Simd.Width"/> is scalar.
    /// </summary>
    static void Forces(float[] p, double[] xs, double[] ys, double[] attract, double[] repel, double[] rowZ)
    {
        int n = rowZ.Length;
        bool vectors = Simd.Width != SimdWidth.Scalar && Vector256.IsHardwareAccelerated;
        Parallelism.ForBlocks(n, 16, (start, end) =>
        {
            for (int i = start; i < end; i++)
            {
                double xi = xs[i], yi = ys[i];
                double ax = 0, ay = 0, rx = 0, ry = 0, z = 0;
                var row = p.AsSpan(i * n, n);
                int j = 0;
                if (vectors)
                {
                    Vector256<double> vax = default, vay = default, vrx = default, vry = default, vz = default;
                    Vector256<double> vxi = Vector256.Create(xi), vyi = Vector256.Create(yi), one = Vector256.Create(1.0);
                    for (; j <= n - 4; j += 4)
                    {
                        var dx = vxi - Vector256.LoadUnsafe(ref xs[j]);
                        var dy = vyi - Vector256.LoadUnsafe(ref ys[j]);
                        var w = one / (one + dx * dx + dy * dy);
                        var pj = Vector128.Create(row[j], row[j + 1], row[j + 2], row[j + 3]);
                        var pw = Vector256.Create(Vector128.WidenLower(pj), Vector128.WidenUpper(pj)) * w;
                        var ww = w * w;
                        (vax, vay, vrx, vry, vz) = (vax + pw * dx, vay + pw * dy, vrx + ww * dx, vry + ww * dy, vz + w);
                    }
                    (ax, ay, rx, ry, z) = (Vector256.Sum(vax), Vector256.Sum(vay), Vector256.Sum(vrx), Vector256.Sum(vry), Vector256.Sum(vz));
                }
                for (; j < n; j++)
                {
                    double dx = xi - xs[j], dy = yi - ys[j];
                    double w = 1 / (1 + dx * dx + dy * dy);
                    double pw = row[j] * w, ww = w * w;
                    ax += pw * dx; ay += pw * dy;
                    rx += ww * dx; ry += ww * dy;
                    z += w;
                }
                (attract[2 * i], attract[2 * i + 1], repel[2 * i], repel[2 * i + 1], rowZ[i]) = (ax, ay, rx, ry, z - 1);   // j = i adds w = 1
            }
        });
    }

    /// <summary>The symmetric joint P (n×n, row-major, zero diagonal, summing to 1).</summary>
    internal static float[] JointAffinities(Tensor points, double perplexity)
    {
        int n = points.Rows;
        var p = new float[(long)n * n];
        Parallelism.ForBlocks(n, 8, (start, end) =>
        {
            var distances = new double[n];
            for (int i = start; i < end; i++)
            {
                var xi = points.Row(i);
                for (int j = 0; j < n; j++)
                {
                    var xj = points.Row(j);
                    double d = 0;
                    for (int c = 0; c < xi.Length; c++) { double diff = xi[c] - xj[c]; d += diff * diff; }
                    distances[j] = d;
                }
                ConditionalRow(distances, i, perplexity, p.AsSpan(i * n, n));
            }
        });
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
            {
                float joint = (float)Math.Max((p[i * n + j] + (double)p[j * n + i]) / (2.0 * n), 1e-12);
                p[i * n + j] = p[j * n + i] = joint;
            }
        return p;
    }

    /// <summary>
    /// p_{j|i} = exp(−β‖x_i − x_j‖²) / Σ_{k≠i} exp(−β‖x_i − x_k‖²), with β bisected until the row's
    /// entropy H = −Σ_j p_{j|i} ln p_{j|i} is ln(perplexity) (within 1e-5, or 200 steps).
    /// </summary>
    internal static void ConditionalRow(ReadOnlySpan<double> distances, int self, double perplexity, Span<float> output)
    {
        double target = Math.Log(perplexity), min = double.PositiveInfinity;
        for (int j = 0; j < distances.Length; j++) if (j != self) min = Math.Min(min, distances[j]);
        double beta = 1, lo = 0, hi = double.PositiveInfinity;
        var row = new double[distances.Length];
        for (int step = 0; step < 200; step++)
        {
            double sum = 0, weighted = 0;
            for (int j = 0; j < distances.Length; j++)
            {
                double d = distances[j] - min;   // shifting every distance leaves p unchanged and keeps exp in range
                row[j] = j == self ? 0 : Math.Exp(-beta * d);
                sum += row[j];
                weighted += row[j] * d;
            }
            double entropy = Math.Log(sum) + beta * weighted / sum;
            for (int j = 0; j < row.Length; j++) row[j] /= sum;
            if (Math.Abs(entropy - target) < 1e-5) break;
            if (entropy > target) { lo = beta; beta = double.IsPositiveInfinity(hi) ? beta * 2 : (beta + hi) / 2; }
            else { hi = beta; beta = (beta + lo) / 2; }
        }
        for (int j = 0; j < row.Length; j++) output[j] = (float)row[j];
    }

    static void Center(double[] y)
    {
        int n = y.Length / 2;
        double mx = 0, my = 0;
        for (int i = 0; i < n; i++) { mx += y[2 * i]; my += y[2 * i + 1]; }
        mx /= n; my /= n;
        for (int i = 0; i < n; i++) { y[2 * i] -= mx; y[2 * i + 1] -= my; }
    }
}
