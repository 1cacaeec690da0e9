using Crane.Experiments;
using Crane.Numerics;

namespace Crane.Bench;

/// <summary>
/// `report tsne [points]`: exact t-SNE (<see cref="Tsne"/>) on random 64-d rows, 4,000 by default
/// (what `crane tsne --sample 2000` lays out), 100 gradient steps, with the force pass in 256-bit
/// lanes against the scalar pass as the reference measured in the same run, alternating, the
/// median of 3 each; plus one full 1,000-step layout's time on the vector path.
/// </summary>
public static class TsneReport
{
    internal static void Run(int points = 4000, int dims = 64, int steps = 100, int rounds = 3)
    {
        Console.WriteLine($"Machine: {ReportTiming.CpuModel()}; {Environment.ProcessorCount} cores; {Parallelism.Threads} threads; .NET {Environment.Version}; best vector path {Simd.Best}");
        var x = new Tensor(points, dims);
        new Rng(7).FillNormal(x.Data, 0f, 1f);
        var options = new TsneOptions(Iterations: steps);
        Tsne.Embed(new Tensor(200, dims, x.Data.AsSpan(0, 200 * dims).ToArray()), options with { Iterations = 5 });   // JIT warm-up

        float[] p = [];
        double affinities = ReportTiming.Time(() => p = Tsne.JointAffinities(x, options.Perplexity));
        var width = Simd.Width;
        var (scalar, vector) = (new List<double>(), new List<double>());
        try
        {
            for (int r = 0; r < rounds; r++)
            {
                Simd.Width = SimdWidth.Scalar;
                scalar.Add(ReportTiming.Time(() => Tsne.Optimize(p, points, options)));
                Simd.Width = Simd.Best;
                vector.Add(ReportTiming.Time(() => Tsne.Optimize(p, points, options)));
            }
            double full = ReportTiming.Time(() => Tsne.Embed(x, options with { Iterations = 1000 }));
            double s = ReportTiming.Median(scalar), v = ReportTiming.Median(vector);
            Console.WriteLine();
            Console.WriteLine($"n = {points:N0} points, D = {dims}, perplexity {options.Perplexity}; median of {rounds} alternating rounds");
            Console.WriteLine();
            Console.WriteLine("| measure | value |");
            Console.WriteLine("|---|---:|");
            Console.WriteLine($"| input affinities (distances, β bisection, symmetrise), once | {affinities:F2} s |");
            Console.WriteLine($"| reference: {steps} gradient steps, scalar force pass | {s:F2} s ({s / steps * 1000:F1} ms/step) |");
            Console.WriteLine($"| {steps} gradient steps, 256-bit force pass | {v:F2} s ({v / steps * 1000:F1} ms/step) |");
            Console.WriteLine($"| scalar / vector | {s / v:F2}× |");
            Console.WriteLine($"| whole layout, 1,000 steps (affinities included), vector path | {full:F1} s |");
            Console.WriteLine();
            Console.WriteLine("Step times are the gradient descent alone (Tsne.Optimize on the same P); the machine may be shared, so times are indicative.");
        }
        finally { Simd.Width = width; }
    }
}
