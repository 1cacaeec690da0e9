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

    [Theory]
    [InlineData(64)]
    [InlineData(19)]
    public void Row_subset_products_give_the_full_products_bits(int d)
    {
        // Big enough to be split across threads; the subset skips rows, including empty ones.
        var a = SparseTestData.Random(900, 700, 12000, seed: 20 + d).ToCsr();
        var x = KernelSettings.Random(700, d, seed: 21);
        int[] rows = [.. Enumerable.Range(0, 900).Where(r => r % 3 != 1)];
        var xs = KernelSettings.Random(rows.Length, d, seed: 22);
        var scattered = new Tensor(900, d);
        for (int k = 0; k < rows.Length; k++) xs.Row(k).CopyTo(scattered.Row(rows[k]));
        KernelSettings.ForEach((threads, width) =>
        {
            var full = new Tensor(900, d);
            SpMM.Multiply(a, x, full);
            var subset = Tensor.Filled(rows.Length, d, float.NaN);
            SpMM.MultiplyRows(a, rows, x, subset);
            for (int k = 0; k < rows.Length; k++)
                Assert.True(full.Row(rows[k]).SequenceEqual(subset.Row(k)), $"Row {rows[k]} differs with {threads} threads, {width}.");

            var fullT = new Tensor(700, d);
            SpMM.MultiplyTransposed(a, scattered, fullT);
            var subsetT = Tensor.Filled(700, d, float.NaN); // every row overwritten, unreached ones with zeros
            SpMM.MultiplyTransposedFromRows(a, rows, xs, subsetT);
            Assert.True(fullT.Data.AsSpan().SequenceEqual(subsetT.Data), $"Aᵀ·X̃ differs with {threads} threads, {width}.");
        });
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Accumulating_a_scaled_product_gives_the_bits_of_product_then_multiply_add(bool transposed)
    {
        var a = SparseTestData.Random(900, 700, 12000, seed: 25).ToCsr();
        var x = KernelSettings.Random(transposed ? 900 : 700, 67, seed: 26);
        var start = KernelSettings.Random(transposed ? 700 : 900, 67, seed: 27);
        KernelSettings.ForEach((threads, width) =>
        {
            var product = new Tensor(start.Rows, 67);
            if (transposed) SpMM.MultiplyTransposed(a, x, product); else SpMM.Multiply(a, x, product);
            var expected = start.Clone();
            System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(product.Data, 0.3f, expected.Data, expected.Data);
            var y = start.Clone();
            SpMM.MultiplyAccumulate(a, x, 0.3f, y, transposed);
            Assert.True(expected.Data.AsSpan().SequenceEqual(y.Data), $"Differs with {threads} threads, {width}.");
        });
    }

    [Fact]
    public void Row_subsets_may_repeat_rows_but_the_transposed_form_needs_them_ascending()
    {
        var a = SparseTestData.Random(12, 9, 40, seed: 23).ToCsr();
        var x = KernelSettings.Random(9, 4, seed: 24);
        var full = new Tensor(12, 4);
        SpMM.Multiply(a, x, full);
        var y = new Tensor(3, 4);
        SpMM.MultiplyRows(a, [7, 2, 7], x, y);
        Assert.Equal(full.Row(7).ToArray().Concat(full.Row(2).ToArray()).Concat(full.Row(7).ToArray()), y.Data);
        Crane.Tests.Autograd.Reference.AssertRejected<ArgumentException>(() => { SpMM.MultiplyTransposedFromRows(a, [3, 3], new Tensor(2, 4), new Tensor(9, 4)); return 0; }, "strictly ascending", "position 1");
        Assert.Throws<ArgumentOutOfRangeException>(() => SpMM.MultiplyRows(a, [12], x, new Tensor(1, 4)));
        Assert.Throws<ArgumentException>(() => SpMM.MultiplyRows(a, [1, 2], x, new Tensor(3, 4)));
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
