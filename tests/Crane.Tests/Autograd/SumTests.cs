using Crane.Autograd;

namespace Crane.Tests.Autograd;

public class SumTests
{
    static readonly Tensor X = GradCheck.Random(4, 3, 11);

    static double Total(Func<int, int, bool> keep)
    {
        double s = 0;
        for (int r = 0; r < X.Rows; r++) for (int c = 0; c < X.Cols; c++) if (keep(r, c)) s += X[r, c];
        return s;
    }

    [Fact]
    public void Sum_and_mean_of_all_elements()
    {
        Reference.AssertClose(Ops.Sum(Variable.Constant(X)).Value, 1, 1, (_, _) => Total((_, _) => true));
        Reference.AssertClose(Ops.Mean(Variable.Constant(X)).Value, 1, 1, (_, _) => Total((_, _) => true) / 12);
        GradCheck.Check(v => Ops.Sum(v[0]), X);
        GradCheck.Check(v => Ops.Mean(v[0]), X);
    }

    [Fact]
    public void Sum_and_mean_over_rows_give_one_row()
    {
        Reference.AssertClose(Ops.Sum(Variable.Constant(X), Axis.Rows).Value, 1, 3, (_, c) => Total((_, cc) => cc == c));
        Reference.AssertClose(Ops.Mean(Variable.Constant(X), Axis.Rows).Value, 1, 3, (_, c) => Total((_, cc) => cc == c) / 4);
        GradCheck.Check(v => Ops.Sum(v[0], Axis.Rows), X);
        GradCheck.Check(v => Ops.Mean(v[0], Axis.Rows), X);
    }

    [Fact]
    public void Sum_and_mean_over_columns_give_one_column()
    {
        Reference.AssertClose(Ops.Sum(Variable.Constant(X), Axis.Columns).Value, 4, 1, (r, _) => Total((rr, _) => rr == r));
        Reference.AssertClose(Ops.Mean(Variable.Constant(X), Axis.Columns).Value, 4, 1, (r, _) => Total((rr, _) => rr == r) / 3);
        GradCheck.Check(v => Ops.Sum(v[0], Axis.Columns), X);
        GradCheck.Check(v => Ops.Mean(v[0], Axis.Columns), X);
    }
}
