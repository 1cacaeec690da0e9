using Crane.Numerics;

namespace Crane.Tests.Numerics;

[Collection("Parallelism")]
public class TopKTests
{
    /// <summary>Brute force: sort every non-NaN column by (value desc, index asc), take k, pad with (−1, −∞).</summary>
    static (int[] Indices, float[] Values) Reference(Tensor s, int k)
    {
        var idx = new int[s.Rows * k];
        var val = new float[s.Rows * k];
        for (int r = 0; r < s.Rows; r++)
        {
            var cols = Enumerable.Range(0, s.Cols).Where(c => !float.IsNaN(s[r, c])).ToList();
            cols.Sort((a, b) => s[r, a] != s[r, b] ? (s[r, a] > s[r, b] ? -1 : 1) : a.CompareTo(b));
            for (int j = 0; j < k; j++)
            {
                idx[r * k + j] = j < cols.Count ? cols[j] : -1;
                val[r * k + j] = j < cols.Count ? s[r, cols[j]] : float.NegativeInfinity;
            }
        }
        return (idx, val);
    }

    /// <summary>Scores from a few distinct values (many ties), some NaN and −∞, and one all-NaN row.</summary>
    static Tensor Scores(int rows, int cols, int seed)
    {
        var rng = new Random(seed);
        var s = new Tensor(rows, cols);
        for (int i = 0; i < s.Length; i++)
        {
            int kind = rng.Next(20);
            s.Data[i] = kind == 0 ? float.NaN : kind == 1 ? float.NegativeInfinity : kind < 10 ? rng.Next(5) : (float)rng.NextDouble() * 10;
        }
        if (rows > 2) s.Row(2).Fill(float.NaN);
        // An ascending row keeps replacing the heap minimum, the pre-filter's worst case.
        if (rows > 3) for (int c = 0; c < cols; c++) s[3, c] = c;
        return s;
    }

    [Theory]
    [InlineData(9, 1000, 50)]
    [InlineData(9, 1000, 1)]
    [InlineData(5, 37, 36)]
    [InlineData(5, 37, 37)]   // k = n
    [InlineData(5, 37, 60)]   // k > n: padded
    [InlineData(4, 1, 3)]     // one column
    [InlineData(4, 15, 4)]    // shorter than a vector
    public void Matches_a_full_sort_on_every_path(int rows, int cols, int k)
    {
        var s = Scores(rows, cols, seed: rows * 1000 + cols + k);
        var (expectedIdx, expectedVal) = Reference(s, k);
        KernelSettings.ForEach((t, w) =>
        {
            var idx = new int[rows * k];
            var val = new float[rows * k];
            TopK.PerRow(s, k, idx, val);
            Assert.Equal(expectedIdx, idx);
            Assert.Equal(expectedVal, val);
        });
    }

    [Fact]
    public void Zero_k_is_a_no_op_and_bad_arguments_are_rejected()
    {
        var s = Scores(3, 10, seed: 1);
        TopK.PerRow(s, 0, [], []);
        Assert.Throws<ArgumentOutOfRangeException>(() => TopK.PerRow(s, -1, [], []));
        Assert.Throws<ArgumentException>(() => TopK.PerRow(s, 2, new int[5], new float[6]));
    }
}
