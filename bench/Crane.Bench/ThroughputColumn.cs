using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Crane.Bench;

/// <summary>
/// GB/s of a benchmark (bytes it moves ÷ its mean time) and that rate as a share of a reference
/// benchmark's rate measured in the same run, so every figure is a same-process ratio.
/// </summary>
public sealed class ThroughputColumn(string name, Func<string, double> bytesOf, string? reference = null) : IColumn
{
    public string Id => $"{nameof(ThroughputColumn)}.{name}";
    public string ColumnName => name;
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => reference is null ? 0 : 1;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => reference is null ? "Bytes moved per operation / mean time (10^9 B/s)" : $"GB/s as a share of {reference}'s GB/s in the same run";
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public bool IsAvailable(Summary summary) => true;
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
    {
        double? rate = Rate(summary, benchmarkCase);
        if (rate is null) return "-";
        if (reference is null) return $"{rate:F1}";
        var refCase = summary.BenchmarksCases.FirstOrDefault(c => c.Descriptor.WorkloadMethod.Name == reference);
        double? refRate = refCase is null ? null : Rate(summary, refCase);
        return refRate is null ? "-" : $"{100 * rate / refRate:F0}%";
    }

    double? Rate(Summary summary, BenchmarkCase c)
    {
        double? ns = summary[c]?.ResultStatistics?.Mean;
        return ns is null ? null : bytesOf(c.Descriptor.WorkloadMethod.Name) / ns.Value;
    }
}
