using System.Diagnostics;

namespace Crane.Bench;

/// <summary>What the in-process `report` tables share: a stopwatch, a median and the machine's name.</summary>
internal static class ReportTiming
{
    /// <summary>Wall-clock seconds of one call.</summary>
    internal static double Time(Action action)
    {
        var sw = Stopwatch.StartNew();
        action();
        return sw.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// Wall-clock seconds of one call, the bytes it allocated, and how far it raised the process's
    /// peak working set above the larger of the peak and the working set before it (after a full GC).
    /// </summary>
    internal static (double Seconds, long Allocated, long PeakGrowth) Measure(Action action)
    {
        using var process = Process.GetCurrentProcess();
        GC.Collect();
        process.Refresh();
        long before = Math.Max(process.PeakWorkingSet64, process.WorkingSet64);
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        double seconds = Time(action);
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        process.Refresh();
        return (seconds, allocated, Math.Max(0, process.PeakWorkingSet64 - before));
    }

    internal static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }

    /// <summary>The CPU's model name from /proc/cpuinfo (as `lscpu` shows it).</summary>
    internal static string CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            if (line is not null) return line[(line.IndexOf(':') + 1)..].Trim();
        }
        catch (IOException) { }
        return "unknown CPU";
    }
}
