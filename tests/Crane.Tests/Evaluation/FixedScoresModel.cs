using Crane.Autograd;
using Crane.Models;

namespace Crane.Tests.Evaluation;

/// <summary>A recommender whose scorer returns rows of a fixed users × items score table.</summary>
internal sealed class FixedScoresModel(Tensor scores) : Recommender
{
    public int ScorersCreated { get; private set; }
    public int ScoreCalls { get; private set; }

    public override string Kind => "fixed";
    public override IReadOnlyList<Variable> Parameters => [];
    public override Variable Loss(TrainingBatch batch) => throw new NotSupportedException("Scores only.");

    public override Scorer CreateScorer()
    {
        ScorersCreated++;
        return new FixedScorer(this, scores);
    }

    sealed class FixedScorer(FixedScoresModel model, Tensor scores) : Scorer("fixed", scores.Rows, scores.Cols)
    {
        public override void Score(ReadOnlySpan<int> users, Tensor output)
        {
            RequireShape(users, output);
            model.ScoreCalls++;
            for (int r = 0; r < users.Length; r++) scores.Row(users[r]).CopyTo(output.Row(r));
        }
    }
}
