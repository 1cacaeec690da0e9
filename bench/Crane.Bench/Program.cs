using System.Reflection;
using BenchmarkDotNet.Running;
using Crane.Bench;

// `report gemm`, `report attention [rounds] [d]`, `report lightgcn [threads…]`, `report knn`, `report lattice`, `report dgvae-graph`,
// `report steps …` and `report epochs [steps]` print in-process comparison tables; anything else goes to BenchmarkDotNet.
switch (args)
{
    case ["report", "tsne", .. var size]:   // exact t-SNE: the vector force pass against the scalar one
        TsneReport.Run(size.Length > 0 ? int.Parse(size[0], System.Globalization.CultureInfo.InvariantCulture) : 4000);
        return;
    case ["report", "gemm", ..]:
        GemmReport.Run();
        return;
    case ["report", "attention", ..]:
        AttentionReport.Run(args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 3,
            args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 64);
        return;
    case ["report", "lightgcn", .. var threads]:
        LightGcnReport.Run(threads.Length > 0 ? [.. threads.Select(a => int.Parse(a, System.Globalization.CultureInfo.InvariantCulture))] : [1, 2]);
        return;
    case ["report", "knn", ..]:
        KnnReport.Run();
        return;
    case ["report", "crane-diagnosis", .. var options]:
        CraneDiagnosisReport.Run(options);
        return;
    case ["report", "crane-scopes", .. var options]:
        CraneScopeReport.Run(options);
        return;
    case ["report", "epochs", .. var rest]:
        EpochReport.Run(rest.Length > 0 ? int.Parse(rest[0], System.Globalization.CultureInfo.InvariantCulture) : 5);
        return;
    case ["report", "lattice", ..]:
        LatticeGraphReport.Run();
        return;
    case ["report", "dgvae-graph", ..]:
        DgvaeGraphReport.Run();
        return;
    case ["report", "lgmrec-diagnosis", .. var options]:
        LgmRecDiagnosisReport.Run(options);
        return;
    case ["report", "top-popularity", .. var options]:
        TopPopularityReport.Run(options);
        return;
    case ["report", "http", .. var options]:
        HttpLoadReport.Run(options);
        return;
    case ["report", "serving", .. var options]:
        ServingReport.Run(options);
        return;
    case ["report", "steps", .. var options]:
        StepReport.Run(options);
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
