using Crane.Numerics;

namespace Crane.Tests.Numerics;

[Collection("Parallelism")]
public class SpMMTests
{
    static double[] Reference(double[,] a, Tensor x, bool transposed)
    {
        int m = transposed ? a.GetLength(1) : a.GetLength(0), k = x.Rows, d = x.Cols;
        var y = new double[m * d];
        for (int i = 0; i < m; i++)
            for (int p = 0; p < k; p++)
            {
                double v = transposed ? a[p, i] : a[i, p];
                if (v != 0) for (int c = 0; c < d; c++) y[i * d + c] += v * x[p, c];
            }
        return y;
    }

    // Widths chosen to hit the four-vector, one-vector and scalar-tail loops of both vector sizes.
    public static TheoryData<int> Widths => new() { 1, 3, 8, 16, 17, 64, 67, 130 };

    [Theory]
    [MemberData(nameof(Widths))]
    public void Products_match_a_double_reference_on_every_path(int d)
    {
        var data = SparseTestData.Random(57, 43, 400, seed: d);
        var a = data.ToCsr();
        var dense = data.Dense();
        var x = KernelSettings.Random(43, d, seed: 7);
        var xt = KernelSettings.Random(57, d, seed: 8);
        KernelSettings.ForEach((_, _) =>
        {
            var y = Tensor.Filled(57, d, float.NaN); // must be overwritten, empty rows included
            SpMM.Multiply(a, x, y);
            KernelSettings.AssertClose(Reference(dense, x, false), y.Data);
            var yt = Tensor.Filled(43, d, float.NaN);
            SpMM.MultiplyTransposed(a, xt, yt);
            KernelSettings.AssertClose(Reference(dense, xt, true), yt.Data);
        });
    }

    [Fact]
    public void Results_are_bit_identical_for_any_thread_count_and_width()
    {
        // Large enough to be split across threads.
        var a = SparseTestData.Random(3000, 2000, 40000, seed: 9).ToCsr();
        var x = KernelSettings.Random(2000, 40, seed: 10);
        var xt = KernelSettings.Random(3000, 40, seed: 11);
        KernelSettings.AssertSameBitsEverywhere(() =>
        {
            var y = new Tensor(3000, 40);
            SpMM.Multiply(a, x, y);
            var yt = new Tensor(2000, 40);
            SpMM.MultiplyTransposed(a, xt, yt);
            return y.Data.Concat(yt.Data).ToArray();
        });
    }

    [Fact]
    public void Transposed_product_uses_the_current_values()
    {
        var data = SparseTestData.Random(12, 9, 40, seed: 12);
        var a = data.ToCsr();
        var x = KernelSettings.Random(12, 5, seed: 13);
        var y = new Tensor(9, 5);
        SpMM.MultiplyTransposed(a, x, y); // builds and caches the transpose
        for (int i = 0; i < a.NonZeros; i++) a.Values[i] *= -3f;
        SpMM.MultiplyTransposed(a, x, y);
        var dense = data.Dense();
        for (int r = 0; r < 12; r++) for (int c = 0; c < 9; c++) dense[r, c] *= -3;
        KernelSettings.AssertClose(Reference(dense, x, true), y.Data);
    }

    [Fact]
    public void Empty_matrix_gives_zeros_and_shapes_are_checked()
    {
        var a = CsrMatrix.FromCoo(4, 3, [], [], []);
        var y = Tensor.Filled(4, 2, 9f);
        SpMM.Multiply(a, new Tensor(3, 2), y);
        Assert.All(y.Data, v => Assert.Equal(0f, v));
        Assert.Throws<ArgumentException>(() => SpMM.Multiply(a, new Tensor(4, 2), new Tensor(4, 2)));
        Assert.Throws<ArgumentException>(() => SpMM.MultiplyTransposed(a, new Tensor(3, 2), new Tensor(3, 2)));
    }

    [Fact]
    public void Blocks_balance_stored_entries()
    {
        // One heavy row then many light ones: the heavy row gets a block to itself.
        var rowPtr = new int[101];
        rowPtr[1] = 1000;
        for (int r = 2; r <= 100; r++) rowPtr[r] = rowPtr[r - 1] + 1;
        var bounds = SpMM.BalancedRowBlocks(rowPtr, 4);
        Assert.Equal(0, bounds[0]);
        Assert.Equal(100, bounds[4]);
        Assert.Equal(1, bounds[1]);
        Assert.True(bounds.Zip(bounds.Skip(1)).All(p => p.First <= p.Second));
    }
}
