using Crane.Numerics;
using Crane.Tests.Autograd;

namespace Crane.Tests.Numerics;

[Collection("Parallelism")]
public class RowPanelsTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(15, 64)]
    [InlineData(20000, 64)]  // many panels: parallel blocks
    [InlineData(37, 300)]    // past one block of k (GEMM's KC = 256)
    [InlineData(40, 513)]    // three blocks of k
    public void T_times_x_has_the_bits_of_gemm_on_every_path_and_thread_count(int rows, int d)
    {
        var table = GradCheck.Random(rows, d, 3);
        var x = GradCheck.Random(1, d, 4);
        var panels = new RowPanels(table);
        table.Data.AsSpan().Clear(); // the panels keep their own copy
        var reference = Gemm.Multiply(x, GradCheck.Random(rows, d, 3), transB: true).Data;

        KernelSettings.ForEach((threads, width) =>
        {
            var y = new float[rows];
            panels.Multiply(width, x.Data, y);
            Assert.True(reference.AsSpan().SequenceEqual(y), $"{threads} threads, {width}");
        });
    }

    [Fact]
    public void Wrong_lengths_are_refused() =>
        Reference.AssertRejected<ArgumentException>(() => { new RowPanels(new Tensor(3, 2)).Multiply(new float[3], new float[3]); return 0; }, "x of length 2 and y of length 3");
}
