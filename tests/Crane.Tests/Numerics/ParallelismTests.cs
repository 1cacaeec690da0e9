using Crane.Numerics;

namespace Crane.Tests.Numerics;

[Collection("Parallelism")]
public class ParallelismTests
{
    [Fact]
    public async Task A_scope_sets_the_count_for_its_caller_and_the_tasks_it_starts_only()
    {
        int saved = Parallelism.Threads;
        try
        {
            Parallelism.Threads = 2;
            using (Parallelism.Use(1))
            {
                Assert.Equal(1, Parallelism.Threads);
                Assert.Equal(1, await Task.Run(() => Parallelism.Threads)); // flows into tasks started inside
                using (Parallelism.Use(3)) Assert.Equal(3, Parallelism.Threads);
                Assert.Equal(1, Parallelism.Threads);
                // A caller outside the scope (a thread not started from it) keeps the process default.
                int outside = 0;
                var thread = new Thread(() => outside = Parallelism.Threads);
                using (ExecutionContext.SuppressFlow()) thread.Start();
                thread.Join();
                Assert.Equal(2, outside);
            }
            Assert.Equal(2, Parallelism.Threads);
            Assert.Throws<ArgumentOutOfRangeException>(() => Parallelism.Use(0));
        }
        finally { Parallelism.Threads = saved; }
    }
}
