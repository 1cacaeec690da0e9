using Crane.Autograd;

namespace Crane.Tests.Autograd;

public class TransposeTests
{
    [Fact]
    public void Transpose_swaps_rows_and_columns()
    {
        var x = GradCheck.Random(3, 5, 93);
        Reference.AssertClose(Ops.Transpose(Variable.Constant(x)).Value, 5, 3, (r, c) => x[c, r], 0);
        GradCheck.Check(v => Ops.Transpose(v[0]), x);
    }

    [Fact]
    public void Large_transpose_crosses_tiles()
    {
        var x = GradCheck.Random(70, 45, 94);
        Reference.AssertClose(Ops.Transpose(Variable.Constant(x)).Value, 45, 70, (r, c) => x[c, r], 0);
    }
}
