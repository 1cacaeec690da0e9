using Crane.Data;
using Crane.Evaluation;
using Crane.Numerics;

namespace Crane.Tests.Evaluation;

[Collection("Parallelism")]
public class EvaluatorThreadTests
{
    [Fact]
    public void IndependentOfThreadCountBitForBit()
    {
        var data = TestDatasets.Random(700, 300, seed: 11, maxTrain: 20, maxTest: 10);
        var model = new FixedScoresModel(EvaluatorTests.TiedScores(data, seed: 12));
        int saved = Parallelism.Threads;
        try
        {
            Parallelism.Threads = 1;
            var one = Evaluator.Evaluate(model, data, Split.Test, new EvaluationOptions(UserBatchSize: 256));
            Parallelism.Threads = 2;
            var two = Evaluator.Evaluate(model, data, Split.Test, new EvaluationOptions(UserBatchSize: 256));
            Parallelism.Threads = 4;
            var four = Evaluator.Evaluate(model, data, Split.Test, new EvaluationOptions(UserBatchSize: 100));
            Assert.Equal(one.Values, two.Values);
            Assert.Equal(one.Values, four.Values);
        }
        finally
        {
            Parallelism.Threads = saved;
        }
    }
}
