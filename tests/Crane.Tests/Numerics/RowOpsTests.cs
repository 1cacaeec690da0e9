using Crane.Numerics;

namespace Crane.Tests.Numerics;

public class RowOpsTests
{
    /// <summary>Random rows plus the edge cases: large-magnitude logits, some −∞, all −∞.</summary>
    static Tensor Logits()
    {
        var x = KernelSettings.Random(6, 37, seed: 21, lo: -5f, hi: 5f);
        for (int c = 0; c < 37; c++) x[1, c] *= 2e4f;                    // large magnitude
        x[2, 0] = x[2, 9] = float.NegativeInfinity;                        // masked entries
        x.Row(3).Fill(float.NegativeInfinity);                             // fully masked row
        x.Row(4).Fill(1e30f);                                              // equal huge logits
        return x;
    }

    static double[] ReferenceLogSoftmax(Tensor x)
    {
        var y = new double[x.Length];
        for (int r = 0; r < x.Rows; r++)
        {
            double max = double.NegativeInfinity;
            for (int c = 0; c < x.Cols; c++) max = Math.Max(max, x[r, c]);
            double s = 0;
            for (int c = 0; c < x.Cols; c++) s += Math.Exp(x[r, c] - max);
            for (int c = 0; c < x.Cols; c++)
                y[r * x.Cols + c] = max == double.NegativeInfinity ? double.NegativeInfinity : x[r, c] - max - Math.Log(s);
        }
        return y;
    }

    [Fact]
    public void Softmax_matches_reference_and_handles_masked_and_huge_rows()
    {
        var x = Logits();
        var y = new Tensor(x.Rows, x.Cols);
        RowOps.Softmax(x, y);
        var expected = ReferenceLogSoftmax(x).Select(Math.Exp).ToArray(); // exp(−∞) = 0: the all-masked row is zeros
        KernelSettings.AssertClose(expected, y.Data, 1e-6);
        for (int r = 0; r < x.Rows; r++)
            if (r != 3) Assert.Equal(1.0, y.Row(r).ToArray().Sum(v => (double)v), 5);
        Assert.All(y.Row(3).ToArray(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void LogSoftmax_matches_reference_in_place()
    {
        var x = Logits();
        var expected = ReferenceLogSoftmax(x);
        RowOps.LogSoftmax(x, x);
        for (int i = 0; i < x.Length; i++)
        {
            // Absolute tolerance scaled by the row's magnitude (x − lse loses digits of a 1e4 logit).
            double scale = 1 + Math.Abs(expected[i]);
            if (double.IsNegativeInfinity(expected[i])) Assert.Equal(float.NegativeInfinity, x.Data[i]);
            else Assert.True(Math.Abs(x.Data[i] - expected[i]) <= 1e-5 * scale, $"Element {i}: {x.Data[i]} vs {expected[i]}.");
        }
    }

    [Fact]
    public void One_column_softmax_is_one_and_log_softmax_zero()
    {
        var x = KernelSettings.Random(5, 1, seed: 22, lo: -100, hi: 100);
        var y = new Tensor(5, 1);
        RowOps.Softmax(x, y);
        Assert.All(y.Data, v => Assert.Equal(1f, v));
        RowOps.LogSoftmax(x, y);
        Assert.All(y.Data, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void L2Normalize_matches_reference_including_zero_huge_and_tiny_rows()
    {
        var x = KernelSettings.Random(5, 19, seed: 23);
        x.Row(1).Clear();
        for (int c = 0; c < 19; c++) { x[2, c] *= 1e30f; x[3, c] *= 1e-30f; }
        var expected = new double[x.Length];
        var expectedNorms = new double[5];
        for (int r = 0; r < 5; r++)
        {
            double s = 0;
            for (int c = 0; c < 19; c++) s += (double)x[r, c] * x[r, c];
            expectedNorms[r] = Math.Sqrt(s);
            for (int c = 0; c < 19; c++) expected[r * 19 + c] = x[r, c] / Math.Max(expectedNorms[r], 1e-12);
        }
        var norms = new float[5];
        RowOps.L2Normalize(x, x, norms: norms);
        KernelSettings.AssertClose(expected, x.Data, 1e-6);
        for (int r = 0; r < 5; r++) Assert.Equal(expectedNorms[r], norms[r], expectedNorms[r] * 1e-6);
    }

    [Fact]
    public void LayerNorm_matches_reference_with_a_large_offset()
    {
        var x = KernelSettings.Random(7, 33, seed: 24);
        for (int c = 0; c < 33; c++) x[4, c] += 1e4f;  // cancellation trap for one-pass variance
        for (int c = 0; c < 33; c++) x[5, c] = 3f;     // constant row: output 0
        var expected = new double[x.Length];
        var (mu, istd) = (new double[7], new double[7]);
        for (int r = 0; r < 7; r++)
        {
            double m = 0, v = 0;
            for (int c = 0; c < 33; c++) m += x[r, c];
            m /= 33;
            for (int c = 0; c < 33; c++) v += (x[r, c] - m) * (x[r, c] - m);
            mu[r] = m; istd[r] = 1 / Math.Sqrt(v / 33 + 1e-5);
            for (int c = 0; c < 33; c++) expected[r * 33 + c] = (x[r, c] - m) * istd[r];
        }
        var y = new Tensor(7, 33);
        var (means, inv) = (new float[7], new float[7]);
        RowOps.LayerNorm(x, y, means: means, inverseStd: inv);
        KernelSettings.AssertClose(expected, y.Data, 2e-3); // row 4: inputs near 1e4 carry float rounding of ~1e-3
        KernelSettings.AssertClose(mu, means, 1e-6);
        KernelSettings.AssertClose(istd, inv, 2e-3);
        for (int r = 0; r < 7; r++)
            if (r != 4) for (int c = 0; c < 33; c++) Assert.Equal(expected[r * 33 + c], y[r, c], 1e-4);
    }

    [Fact]
    public void Gather_and_scatter_add_match_loops_with_repeated_indices()
    {
        var x = KernelSettings.Random(10, 6, seed: 25);
        int[] index = [3, 0, 3, 9, 3, 7];
        var g = new Tensor(index.Length, 6);
        RowOps.GatherRows(x, index, g);
        for (int i = 0; i < index.Length; i++) Assert.Equal(x.Row(index[i]).ToArray(), g.Row(i).ToArray());

        var y = KernelSettings.Random(10, 6, seed: 26);
        var expected = new double[y.Length];
        for (int i = 0; i < y.Length; i++) expected[i] = y.Data[i];
        for (int i = 0; i < index.Length; i++) for (int c = 0; c < 6; c++) expected[index[i] * 6 + c] += g[i, c];
        RowOps.ScatterAddRows(g, index, y);
        KernelSettings.AssertClose(expected, y.Data, 1e-6);
    }

    [Fact]
    public void Bad_indices_and_shapes_are_rejected()
    {
        var x = new Tensor(4, 3);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => RowOps.GatherRows(x, [1, 4], new Tensor(2, 3)));
        Assert.Contains("Row index 4 at position 1", ex.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => RowOps.ScatterAddRows(new Tensor(1, 3), [-1], x));
        Assert.Throws<ArgumentException>(() => RowOps.Softmax(x, new Tensor(3, 4)));
        Assert.Throws<ArgumentException>(() => RowOps.GatherRows(x, [1], new Tensor(2, 3)));
    }
}

[Collection("Parallelism")]
public class RowOpsThreadTests
{
    [Fact]
    public void Every_row_op_gives_the_same_bits_for_any_thread_count()
    {
        var x = KernelSettings.Random(700, 50, seed: 27, lo: -20, hi: 20);
        var rng = new Random(28);
        var index = Enumerable.Range(0, 2000).Select(_ => rng.Next(40)).ToArray(); // many sources per destination
        var src = KernelSettings.Random(2000, 50, seed: 29);
        KernelSettings.AssertSameBitsEverywhere(() =>
        {
            var outputs = new List<float>();
            foreach (var op in new Action<Tensor, Tensor>[]
                     { RowOps.Softmax, RowOps.LogSoftmax, (a, b) => RowOps.L2Normalize(a, b), (a, b) => RowOps.LayerNorm(a, b) })
            {
                var y = new Tensor(700, 50);
                op(x, y);
                outputs.AddRange(y.Data);
            }
            var g = new Tensor(2000, 50);
            RowOps.GatherRows(x, index, g);
            outputs.AddRange(g.Data);
            var s = new Tensor(40, 50);
            RowOps.ScatterAddRows(src, index, s);
            outputs.AddRange(s.Data);
            return outputs.ToArray();
        });
    }
}
