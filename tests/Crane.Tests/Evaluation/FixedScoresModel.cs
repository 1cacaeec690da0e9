using Crane.Autograd;
using Crane.Models;

namespace Crane.Tests.Evaluation;

/// <summary>A recommender that returns rows of a fixed users × items score table.</summary>
internal sealed class FixedScoresModel(Tensor scores) : Recommender
{
    public int PrepareCalls { get; private set; }
    public int ScoreCalls { get; private set; }

    public override string Kind => "fixed";
    public override IReadOnlyList<Variable> Parameters => [];
    public override Variable Loss(TrainingBatch batch) => throw new NotSupportedException("Scores only.");
    public override void PrepareForScoring() => PrepareCalls++;

    public override void Score(ReadOnlySpan<int> users, Tensor output)
    {
        Assert.Equal(users.Length, output.Rows);
        Assert.Equal(scores.Cols, output.Cols);
        ScoreCalls++;
        for (int r = 0; r < users.Length; r++) scores.Row(users[r]).CopyTo(output.Row(r));
    }
}
