using Crane.Autograd;

namespace Crane.Tests.Autograd;

public class PairDotsTests
{
    static readonly int[] Rows = [0, 2, 2, 1, 0], Cols = [1, 0, 3, 3, 1];

    [Fact]
    public void Pair_dot_products_and_gradients()
    {
        var a = GradCheck.Random(3, 4, 93);
        var b = GradCheck.Random(4, 4, 94);
        Reference.AssertClose(Ops.PairDots(Variable.Constant(a), Rows, Variable.Constant(b), Cols).Value, Rows.Length, 1,
            (p, _) => Enumerable.Range(0, 4).Sum(c => (double)a[Rows[p], c] * b[Cols[p], c]));
        GradCheck.Check(v => Ops.PairDots(v[0], Rows, v[1], Cols), a, b);
    }

    [Fact]
    public void One_table_on_both_sides_gets_both_shares_of_the_gradient()
    {
        var a = GradCheck.Random(4, 3, 95);
        GradCheck.Check(v => Ops.PairDots(v[0], Rows, v[0], Cols), a);
    }

    [Fact]
    public void An_index_outside_the_table_is_named()
    {
        var a = Variable.Constant(GradCheck.Random(3, 2, 96));
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Ops.PairDots(a, [0, 3], a, [1, 1]));
        Assert.Contains("(3, 1)", error.Message);
    }
}
