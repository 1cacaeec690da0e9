using Crane.Autograd;
using Crane.Graphs;
using Crane.Models;
using Crane.Numerics;

namespace Crane.Bench;

/// <summary>
/// `report lattice`: LATTICE's item graphs at Electronics scale, N = 63,001 items with random
/// 128-d ("image") and 384-d ("text") features, through <see cref="LatticeItemGraph"/>: the two
/// original graphs Lsym(kNN(cos X_m)) (built once), then one rebuild of the learned graphs from
/// 64-d projections, mixed and normalised into S — as scoring does it (no gradient) and as an
/// epoch's first batch does it (live cosines, followed by a backward pass through S's values).
/// Each step's time, bytes allocated and growth of the process's peak working set are printed
/// beside the N×N float matrix a dense build needs (LATTICE's published code holds several);
/// the reference, timed in the same run, is one plain kNN refresh of the 128-d table.
/// </summary>
public static class LatticeGraphReport
{
    internal static void Run(int items = 63_001, int k = 10, int d = 64)
    {
        Console.WriteLine($"Machine: {Environment.ProcessorCount} cores; {Parallelism.Threads} threads; .NET {Environment.Version}; kernel path {Simd.Width}");
        var rng = new Rng(42);
        Tensor[] raw = [new Tensor(items, 128), new Tensor(items, 384)];
        foreach (var x in raw) rng.FillNormal(x.Data, 0f, 1f);
        var init = Rng.ForStream(42, "init");
        var project = raw.Select((x, m) => new Linear(x.Cols, d, init, $"project.{m}")).ToArray();
        var omega = Variable.Parameter(Tensor.Filled(1, 2, 0.5f), "modal_weight");
        var warm = new Tensor(items / 64, 128, raw[0].Data.AsSpan(0, items / 64 * 128).ToArray());
        _ = new LatticeItemGraph([warm], k, 0.9f);   // JIT warm-up

        Console.WriteLine();
        Console.WriteLine($"N = {items:N0} items, image 128-d + text 384-d, k = {k}, projections to {d}-d, λ = 0.9");
        Console.WriteLine();
        Console.WriteLine("| step | wall time | bytes allocated | peak working set growth | process peak after |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        var reference = Measure("reference: one kNN refresh of the 128-d table (self included)", () => NearestNeighbors.Cosine(raw[0], k, includeSelf: true));
        LatticeItemGraph graph = null!;
        var original = Measure("original graphs S⁰_m = Lsym(kNN(cos X_m)), both modalities (once)", () => graph = new LatticeItemGraph(raw, k, 0.9f));
        int nonZeros = 0;
        var scoring = Measure("learned graphs + mix + Lsym → S, for scoring (no gradient)", () =>
            nonZeros = graph.Build(project.Select((p, m) => p.Apply(Variable.Constant(raw[m]), v => Variable.Constant(v.Value))).ToArray(),
                Ops.Softmax(Variable.Constant(omega.Value)), differentiable: false).Structure.NonZeros);
        var training = Measure("the same at an epoch's first batch (live cosines) + backward through S", () =>
        {
            var s = graph.Build(project.Select((p, m) => p.Apply(Variable.Constant(raw[m]), v => v)).ToArray(), Ops.Softmax(omega), differentiable: true);
            Ops.Sum(s.Weights).Backward();
        });
        Console.WriteLine();
        Console.WriteLine($"S has {nonZeros:N0} stored entries ({nonZeros * 8.0 / 1e6:F0} MB as CSR column index + value); a dense N×N float32 matrix is {4.0 * items * items / 1e9:F1} GB.");
        Console.WriteLine($"Ratios to the reference kNN refresh: original {original / reference:F2}×, scoring rebuild {scoring / reference:F2}×, first-batch rebuild + backward {training / reference:F2}×.");
        Console.WriteLine("One run of each after a small warm-up; the machine may be shared, so times are indicative.");
    }

    static double Measure(string label, Action step)
    {
        var f = ReportTiming.Measure(step);
        Console.WriteLine($"| {label} | {f.Seconds:F1} s | {f.Allocated / 1e6:F0} MB | {f.PeakGrowth / 1e6:F0} MB | {f.PeakAfter / 1e6:F0} MB |");
        return f.Seconds;
    }
}
