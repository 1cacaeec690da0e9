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
