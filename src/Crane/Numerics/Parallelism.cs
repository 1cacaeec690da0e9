namespace Crane.Numerics;

/// <summary>
/// The thread count every parallel kernel uses. Kernels split work into fixed row blocks and each
/// output element is written by exactly one thread in a fixed order, so results are bit-identical
/// for a given thread count (and, for most kernels, for any thread count). The count is the
/// process default unless a caller scoped its own with <see cref="Use"/>.
/// </summary>
public static class Parallelism
{
    static int _default = Environment.ProcessorCount;
    static readonly AsyncLocal<int> s_scoped = new(); // 0: no scope; flows into the tasks a scope starts

    /// <summary>
    /// Maximum worker threads for kernels: the innermost <see cref="Use"/> scope's count, else the
    /// process default (set here; initially the processor count).
    /// </summary>
    public static int Threads
    {
        get => s_scoped.Value is > 0 and var scoped ? scoped : _default;
        set => _default = Checked(value);
    }

    /// <summary>
    /// Kernels called from this flow of execution (and the tasks it starts) use
    /// <paramref name="threads"/> until the scope is disposed; other callers keep theirs. A
    /// library call's per-call thread count.
    /// </summary>
    public static ThreadScope Use(int threads)
    {
        var previous = s_scoped.Value;
        s_scoped.Value = Checked(threads);
        return new ThreadScope(previous);
    }

    /// <summary>The scope <see cref="Use"/> opens; disposing it restores the count before it.</summary>
    public readonly struct ThreadScope : IDisposable
    {
        readonly int _previous;
        internal ThreadScope(int previous) => _previous = previous;

        /// <inheritdoc />
        public void Dispose() => s_scoped.Value = _previous;
    }

    static int Checked(int threads) => threads >= 1 ? threads : throw new ArgumentOutOfRangeException(nameof(threads), threads, "Thread count must be at least 1.");

    /// <summary>Options for <see cref="Parallel.For(int,int,ParallelOptions,Action{int})"/> honouring <see cref="Threads"/>.</summary>
    public static ParallelOptions Options => new() { MaxDegreeOfParallelism = Threads };

    /// <summary>
    /// Runs <paramref name="body"/>(start, end) over [0, count) cut into blocks of at least
    /// <paramref name="minBlock"/> items; runs inline when one block suffices or one thread is set.
    /// </summary>
    public static void ForBlocks(int count, int minBlock, Action<int, int> body)
    {
        if (count <= 0) return;
        int threads = Threads;
        int blocks = Math.Min(threads * 4, Math.Max(1, count / Math.Max(1, minBlock)));
        if (blocks <= 1 || threads == 1)
        {
            body(0, count);
            return;
        }
        int size = (count + blocks - 1) / blocks;
        Parallel.For(0, (count + size - 1) / size, new ParallelOptions { MaxDegreeOfParallelism = threads }, b =>
        {
            int start = b * size;
            body(start, Math.Min(count, start + size));
        });
    }
}
