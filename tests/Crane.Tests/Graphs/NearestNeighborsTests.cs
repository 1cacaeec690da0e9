using Crane.Graphs;
using Crane.Numerics;

namespace Crane.Tests.Graphs;

public class NearestNeighborsTests
{
    /// <summary>Brute force in double: every pair's cosine, sorted descending, ties to the lower index.</summary>
    internal static (int Index, double Cosine)[] BruteForce(Tensor x, int row, int k, bool includeSelf)
    {
        double Norm(int r) => Math.Sqrt(Enumerable.Range(0, x.Cols).Sum(c => (double)x[r, c] * x[r, c]));
        double Cos(int a, int b)
        {
            double na = Norm(a), nb = Norm(b);
            if (na == 0 || nb == 0) return 0;
            return Enumerable.Range(0, x.Cols).Sum(c => (double)x[a, c] * x[b, c]) / (na * nb);
        }
        return Enumerable.Range(0, x.Rows).Where(j => includeSelf || j != row)
            .Select(j => (j, Cos(row, j))).OrderByDescending(p => p.Item2).ThenBy(p => p.j).Take(k).ToArray();
    }

    [Theory]
    [InlineData(10, 4, 3, false)]
    [InlineData(300, 8, 5, false)]  // more rows than one block
    [InlineData(300, 8, 5, true)]
    [InlineData(513, 3, 10, false)] // a partial last block
    public void Block_wise_top_k_equals_brute_force(int n, int d, int k, bool includeSelf)
    {
        var x = new Tensor(n, d);
        new Rng((ulong)n).FillNormal(x.Data, 0f, 1f);
        var table = NearestNeighbors.Cosine(x, k, includeSelf);
        // Float32 cosines carry ~1e-7 relative error, so two neighbours whose exact cosines differ
        // by less than that may swap: compare the exact cosine of each chosen neighbour, rank by rank.
        const double tolerance = 1e-5;
        for (int r = 0; r < n; r++)
        {
            var all = BruteForce(x, r, n, includeSelf).ToDictionary(p => p.Index, p => p.Cosine);
            var expected = all.OrderByDescending(p => p.Value).ThenBy(p => p.Key).Take(k).ToArray();
            for (int j = 0; j < k; j++)
            {
                int got = table.Neighbors[r * k + j];
                Assert.InRange(Math.Abs(all[got] - expected[j].Value), 0, tolerance);
                Assert.InRange(Math.Abs(table.Similarities[r * k + j] - expected[j].Value), 0, tolerance);
            }
        }
    }

    [Fact]
    public void A_row_is_its_own_first_neighbour_only_when_self_is_included()
    {
        var x = new Tensor(50, 6);
        new Rng(3).FillNormal(x.Data, 0f, 1f);
        var with = NearestNeighbors.Cosine(x, 3, includeSelf: true);
        var without = NearestNeighbors.Cosine(x, 3, includeSelf: false);
        for (int r = 0; r < x.Rows; r++)
        {
            Assert.Equal(r, with.Neighbors[r * 3]);
            Assert.Equal(1f, with.Similarities[r * 3], 5);
            Assert.DoesNotContain(r, without.Neighbors.AsSpan(r * 3, 3).ToArray());
        }
    }

    [Fact]
    public void Duplicated_rows_find_each_other()
    {
        var x = Tensor.FromArray(new float[,] { { 1, 0 }, { 0, 1 }, { 2, 0 }, { 0, 3 } });
        var table = NearestNeighbors.Cosine(x, 1, includeSelf: false);
        Assert.Equal([2, 3, 0, 1], table.Neighbors);
        Assert.All(table.Similarities, s => Assert.Equal(1f, s, 6));
    }

    [Fact]
    public void K_out_of_range_is_rejected()
    {
        var x = new Tensor(5, 2);
        Assert.Throws<ArgumentOutOfRangeException>(() => NearestNeighbors.Cosine(x, 5, includeSelf: false));
        Assert.Throws<ArgumentOutOfRangeException>(() => NearestNeighbors.Cosine(x, 0, includeSelf: true));
    }
}
