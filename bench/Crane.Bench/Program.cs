using BenchmarkDotNet.Running;
using Crane.Bench;

// `report gemm` prints the in-process GEMM comparison table; anything else goes to BenchmarkDotNet.
if (args is ["report", "gemm", ..])
    GemmReport.Run();
else
    BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
