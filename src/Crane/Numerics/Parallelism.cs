namespace Crane.Numerics;

/// <summary>
/// The thread count every parallel kernel uses. Kernels split work into fixed row blocks and each
/// output element is written by exactly one thread in a fixed order, so results are bit-identical
/// for a given thread count (and, for most kernels, for any thread count).
/// </summary>
public static class Parallelism
{
    static int _threads = Environment.ProcessorCount;

    /// <summary>Maximum worker threads for kernels (default: processor count).</summary>
    public static int Threads
    {
        get => _threads;
        set => _threads = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), "Thread count must be at least 1.");
    }

    /// <summary>Options for <see cref="Parallel.For(int,int,ParallelOptions,Action{int})"/> honouring <see cref="Threads"/>.</summary>
    public static ParallelOptions Options => new() { MaxDegreeOfParallelism = _threads };

    /// <summary>
    /// Runs <paramref name="body"/>(start, end) over [0, count) cut into blocks of at least
    /// <paramref name="minBlock"/> items; runs inline when one block suffices or one thread is set.
    /// </summary>
    public static void ForBlocks(int count, int minBlock, Action<int, int> body)
    {
        if (count <= 0) return;
        int blocks = Math.Min(_threads * 4, Math.Max(1, count / Math.Max(1, minBlock)));
        if (blocks <= 1 || _threads == 1)
        {
            body(0, count);
            return;
        }
        int size = (count + blocks - 1) / blocks;
        Parallel.For(0, (count + size - 1) / size, Options, b =>
        {
            int start = b * size;
            body(start, Math.Min(count, start + size));
        });
    }
}
