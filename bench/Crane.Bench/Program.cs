using System.Reflection;
using BenchmarkDotNet.Running;
using Crane.Bench;

// `report gemm` prints the in-process GEMM comparison table, `report knn` the kNN refresh at
// Electronics scale, `report steps` a model's seconds per training step and per epoch;
// anything else goes to BenchmarkDotNet.
if (args is ["report", "gemm", ..])
{
    GemmReport.Run();
    return;
}
if (args is ["report", "knn", ..])
{
    KnnReport.Run();
    return;
}
if (args is ["report", "steps", .. var rest])
{
    StepReport.Run(rest);
    return;
}

// Benchmark classes whose data file is missing are left out, saying so.
var types = new List<Type>();
foreach (var type in typeof(Program).Assembly.GetTypes()
             .Where(t => t.IsClass && !t.IsAbstract && t.GetMethods().Any(m => m.IsDefined(typeof(BenchmarkDotNet.Attributes.BenchmarkAttribute)))))
{
    var missing = type.GetCustomAttributes<RequiresFileAttribute>().Where(a => SharedFiles.Find(a.SharedPath) is null).ToList();
    if (missing.Count > 0)
        Console.WriteLine($"SKIPPED {type.Name}: {string.Join(", ", missing.Select(a => a.SharedPath))} not found in ../shared (relative to the repository root).");
    else
        types.Add(type);
}
BenchmarkSwitcher.FromTypes([.. types]).Run(args);
