namespace Crane.Tests;

/// <summary>
/// Tests that change process-wide kernel settings (Parallelism.Threads, the SIMD width) join this
/// collection, which xunit runs alone, so no other test sees the change.
/// </summary>
[CollectionDefinition("Parallelism", DisableParallelization = true)]
public sealed class ParallelismCollection;
