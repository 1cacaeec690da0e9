using System.Diagnostics;
using Crane.Numerics;
namespace Crane.Bench;
internal static class Probe
{
    public static void Run()
    {
        Parallelism.Threads = 1;
        foreach (var s in GemmReport.Shapes)
        {
            var (a, b, c) = GemmReport.Operands(s);
            double best = 0;
            for (int r = 0; r < 12; r++)
            {
                var sw = Stopwatch.StartNew();
                Gemm.Multiply(a, s.TransA, b, s.TransB, c);
                if (r > 1) best = Math.Max(best, s.Flops / sw.Elapsed.TotalSeconds / 1e9);
            }
            Console.WriteLine($"{s.Name}: {best:F1} GFLOP/s (1 thread)");
        }
    }
}
