using Crane.Models;
using Crane.Numerics;
using Crane.Tests.Autograd;

namespace Crane.Tests.Models.Scoring;

public class InnerProductScorerTests
{
    [Theory]
    [InlineData(1, 64)]
    [InlineData(7, 64)]
    [InlineData(300, 33)]
    [InlineData(5, 300)]   // past one block of k
    public void Scores_are_the_bits_of_u_times_i_transposed_for_any_batch(int batch, int d)
    {
        var (users, items) = (GradCheck.Random(400, d, 1), GradCheck.Random(257, d, 2));
        var scorer = new InnerProductScorer("t", users.Clone(), items.Clone());
        var picked = Enumerable.Range(0, batch).Select(b => (b * 37) % 400).ToArray();

        var scores = new Tensor(batch, 257);
        scorer.Score(picked, scores);

        var rows = new Tensor(batch, d);
        RowOps.GatherRows(users, picked, rows);
        Assert.Equal(Gemm.Multiply(rows, items, transB: true).Data, scores.Data);
        var one = new Tensor(1, 257);
        scorer.Score([picked[^1]], one);
        Assert.Equal(scores.Row(batch - 1).ToArray(), one.Data); // a user's row does not depend on the batch
    }

    [Fact]
    public void Tables_of_different_widths_or_ids_outside_are_refused()
    {
        Reference.AssertRejected<ArgumentException>(() => new InnerProductScorer("t", new Tensor(2, 3), new Tensor(4, 5)), "3 columns", "5");
        var scorer = new InnerProductScorer("t", new Tensor(2, 3), new Tensor(4, 3));
        Reference.AssertRejected<ArgumentOutOfRangeException>(() => scorer.UserVector(2).Length, "outside the model's 2 users");
        Reference.AssertRejected<ArgumentException>(() => { scorer.Score([0], new Tensor(1, 3)); return 0; }, "1×4");
    }
}
