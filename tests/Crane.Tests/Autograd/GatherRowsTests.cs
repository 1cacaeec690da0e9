using Crane.Autograd;

namespace Crane.Tests.Autograd;

public class GatherRowsTests
{
    [Fact]
    public void Gathers_rows_and_duplicate_indices_accumulate()
    {
        var table = GradCheck.Random(4, 3, 81);
        int[] index = [2, 0, 2, 2, 1];
        Reference.AssertClose(Ops.GatherRows(Variable.Constant(table), index).Value, 5, 3, (i, c) => table[index[i], c], 0);
        GradCheck.Check(v => Ops.GatherRows(v[0], index), table);

        var p = Variable.Parameter(table);
        Ops.Sum(Ops.GatherRows(p, index)).Backward();
        // Row 0 and row 1 are gathered once, row 2 three times, row 3 never.
        Assert.Equal([1f, 1f, 1f, 1f, 1f, 1f, 3f, 3f, 3f, 0f, 0f, 0f], p.Grad!.Data);
    }

    [Fact]
    public void Reusing_the_index_buffer_before_backward_is_safe()
    {
        var p = Variable.Parameter(GradCheck.Random(4, 2, 82));
        int[] index = [3, 3];
        var y = Ops.Sum(Ops.GatherRows(p, index));
        index[0] = index[1] = 0;
        y.Backward();
        Assert.Equal([0f, 0f, 0f, 0f, 0f, 0f, 2f, 2f], p.Grad!.Data);
    }

    [Fact]
    public void Out_of_range_index_is_rejected()
    {
        Reference.AssertRejected<ArgumentOutOfRangeException>(() => Ops.GatherRows(Variable.Constant(new(4, 2)), [1, 4]), "GatherRows", "4×2");
    }
}
