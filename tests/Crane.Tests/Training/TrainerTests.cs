using Crane.Data;
using Crane.Training;

namespace Crane.Tests.Training;

public class TrainerTests
{
    static (TinyMf Model, ScriptedEvaluation Evaluation, Trainer Trainer, List<string> Log) Setup(
        double[] validation, TrainerOptions options, double[]? test = null, int nanFromEpoch = int.MaxValue)
    {
        var data = TinyData.Build();
        var model = new TinyMf(data) { NanFromEpoch = nanFromEpoch };
        var evaluation = new ScriptedEvaluation(model, validation, test);
        var log = new List<string>();
        var trainer = new Trainer(options) { Evaluate = evaluation.Evaluate, Log = log.Add };
        return (model, evaluation, trainer, log);
    }

    [Fact]
    public void Adam_gets_the_models_own_weight_decay()
    {
        var data = TinyData.Build();
        double SquaredNorm(float l2)
        {
            var model = new TinyMf(data) { L2 = l2 };
            var trainer = new Trainer(new TrainerOptions(Epochs: 2, Patience: 5, LearningRate: 0.05f, BatchSize: 4))
                { Evaluate = new ScriptedEvaluation(model, [0.1, 0.2]).Evaluate };
            trainer.Train(model, data);
            return model.Snapshot().SelectMany(x => x).Sum(v => (double)v * v);
        }
        // A strong penalty pulls every parameter towards zero; BPR alone grows the embeddings.
        Assert.True(SquaredNorm(5f) < 0.5 * SquaredNorm(0f), $"{SquaredNorm(5f)} vs {SquaredNorm(0f)}");
    }

    [Fact]
    public void Stops_after_patience_evaluations_without_a_better_score_and_restores_the_best_epoch()
    {
        // Epoch 2 is best; epoch 4 only equals it (not better), so epochs 3, 4, 5 make three misses.
        double[] script = [0.1, 0.3, 0.2, 0.3, 0.25, 0.9, 0.9];
        var (model, evaluation, trainer, _) = Setup(script, new TrainerOptions(Epochs: 7, Patience: 3, LearningRate: 0.05f, BatchSize: 4));

        var result = trainer.Train(model, TinyData.Build());

        Assert.Equal(2, result.BestEpoch);
        Assert.True(result.StoppedEarly);
        Assert.Equal([1, 2, 3, 4, 5], result.History.Select(r => r.Epoch));
        Assert.Equal([true, true, false, false, false], result.History.Select(r => r.IsBest));
        Assert.Equal(0.3, result.BestValidation["recall@20"]);
        Assert.Equal(evaluation.ParametersAtEpoch(2), model.Snapshot());
        Assert.NotEqual(evaluation.ParametersAtEpoch(5), model.Snapshot());
    }

    [Fact]
    public void The_test_set_is_scored_once_with_the_best_epochs_parameters()
    {
        var (model, evaluation, trainer, _) = Setup([0.1, 0.4, 0.2, 0.2], new TrainerOptions(Epochs: 4, Patience: 2, LearningRate: 0.05f, BatchSize: 4));

        var result = trainer.Train(model, TinyData.Build());

        var testCalls = evaluation.Calls.Where(c => c.Split == Split.Test).ToList();
        Assert.Single(testCalls);
        Assert.Equal(Split.Test, evaluation.Calls[^1].Split);
        Assert.Equal(evaluation.ParametersAtEpoch(2), testCalls[0].Parameters);
        Assert.Equal(0.5, result.Test["recall@20"]);
        Assert.All(result.History, r => Assert.Null(r.MmrecTest));
    }

    [Fact]
    public void Runs_every_epoch_while_validation_keeps_improving()
    {
        var (model, _, trainer, log) = Setup([0.1, 0.2, 0.3], new TrainerOptions(Epochs: 3, Patience: 1, BatchSize: 4));

        var result = trainer.Train(model, TinyData.Build());

        Assert.False(result.StoppedEarly);
        Assert.Equal(3, result.BestEpoch);
        Assert.Equal(3, result.History.Count);
        Assert.Equal(4, log.Count); // three epoch lines and the closing line
        Assert.StartsWith("best epoch 3", log[^1]);
    }

    [Fact]
    public void Mmrec_mode_records_test_every_epoch_but_selects_on_validation()
    {
        // Test prefers epoch 3; validation prefers epoch 1: the selection must follow validation.
        var (model, evaluation, trainer, log) = Setup([0.4, 0.1, 0.1], new TrainerOptions(Epochs: 3, Patience: 5, BatchSize: 4, MmrecReport: true), test: [0.1, 0.2, 0.9, 0.3]);

        var result = trainer.Train(model, TinyData.Build());

        Assert.Equal(1, result.BestEpoch);
        Assert.Equal([0.1, 0.2, 0.9], result.History.Select(r => r.MmrecTest!["recall@20"]));
        Assert.Equal(4, evaluation.Calls.Count(c => c.Split == Split.Test));
        Assert.Equal(evaluation.ParametersAtEpoch(1), evaluation.Calls[^1].Parameters);
        Assert.Contains("mmrec test", log[0]);
    }

    [Fact]
    public void A_nan_loss_stops_training_with_an_error_naming_the_epoch()
    {
        var (model, _, trainer, _) = Setup([0.1, 0.2, 0.3, 0.4], new TrainerOptions(Epochs: 4, BatchSize: 4), nanFromEpoch: 3);

        var error = Assert.Throws<TrainingException>(() => trainer.Train(model, TinyData.Build()));

        Assert.Equal(3, error.Epoch);
        Assert.Contains("epoch 3", error.Message);
        Assert.Contains("NaN", error.Message);
    }

    [Fact]
    public void Reports_each_batch_and_each_epoch()
    {
        var data = TinyData.Build(); // 36 training rows: 9 batches of 4
        var model = new TinyMf(data);
        var evaluation = new ScriptedEvaluation(model, [0.1, 0.2]);
        var progress = new List<BatchProgress>();
        var epochs = new List<EpochRecord>();
        var trainer = new Trainer(new TrainerOptions(Epochs: 2, BatchSize: 4))
        {
            Evaluate = evaluation.Evaluate, BatchCompleted = progress.Add, EpochCompleted = epochs.Add,
        };

        trainer.Train(model, data);

        Assert.Equal(18, progress.Count);
        Assert.Equal(new BatchProgress(2, 9, 9), progress[^1]);
        Assert.Equal([1, 2], epochs.Select(e => e.Epoch));
        Assert.All(epochs, e => Assert.True(double.IsFinite(e.Loss) && e.TrainSeconds >= 0 && e.EvalSeconds >= 0));
    }

    [Fact]
    public void Training_lowers_the_loss_and_the_same_seed_gives_the_same_bits()
    {
        TrainingResult Run(out float[][] parameters)
        {
            var data = TinyData.Build();
            var model = new TinyMf(data);
            var flat = Enumerable.Repeat(0.1, 30).ToArray(); // never improves after epoch 1: keep the last epoch's parameters out of it
            var trainer = new Trainer(new TrainerOptions(Epochs: 30, Patience: 100, LearningRate: 0.05f, BatchSize: 8))
            {
                Evaluate = new ScriptedEvaluation(model, flat).Evaluate,
            };
            var result = trainer.Train(model, data);
            parameters = model.Snapshot();
            return result;
        }

        var first = Run(out var firstParameters);
        var second = Run(out var secondParameters);

        Assert.True(first.History[^1].Loss < 0.8 * first.History[0].Loss, $"loss {first.History[0].Loss} → {first.History[^1].Loss}");
        Assert.Equal(first.History.Select(r => r.Loss), second.History.Select(r => r.Loss));
        Assert.Equal(firstParameters, secondParameters);
    }

    [Theory]
    [InlineData(0, 20, 1e-3f)]
    [InlineData(10, 0, 1e-3f)]
    [InlineData(10, 20, 0f)]
    [InlineData(10, 20, float.NaN)]
    public void Rejects_options_out_of_range(int epochs, int patience, float learningRate) =>
        Assert.Throws<ArgumentException>(() => new Trainer(new TrainerOptions(Epochs: epochs, Patience: patience, LearningRate: learningRate)));

    [Fact]
    public void The_models_learning_rate_factor_scales_each_epochs_steps()
    {
        // Factor 1 in epoch 1, then 0: the parameters move in epoch 1 and stay put in epoch 2.
        var data = TinyData.Build();
        var model = new TinyMf(data) { Schedule = epoch => epoch == 1 ? 1f : 0f };
        var initial = model.Parameters.Select(p => p.Value.Data.ToArray()).ToArray();
        var evaluation = new ScriptedEvaluation(model, [0.1, 0.2], null);
        new Trainer(new TrainerOptions(Epochs: 2, BatchSize: 4, LearningRate: 0.05f)) { Evaluate = evaluation.Evaluate }.Train(model, data);

        Assert.NotEqual(initial, evaluation.ParametersAtEpoch(1));
        Assert.Equal(evaluation.ParametersAtEpoch(1), evaluation.ParametersAtEpoch(2));
    }
}

public class TrainerAveragingTests
{
    [Fact]
    public void A_model_that_asks_for_averaging_is_evaluated_and_kept_with_the_averaged_parameters_and_trains_on_the_live_ones()
    {
        var data = TinyData.Build();
        var model = new TinyMf(data) { Averaging = 0.6f };
        var evaluation = new ScriptedEvaluation(model, [0.3, 0.1, 0.2]);
        var initial = model.Snapshot();
        var afterSteps = new List<float[][]>();
        var stepsBeforeEpoch2 = 0;
        float[][]? atEpoch2 = null;
        model.EpochStarting = epoch => { if (epoch == 2) (stepsBeforeEpoch2, atEpoch2) = (afterSteps.Count, model.Snapshot()); };
        var trainer = new Trainer(new TrainerOptions(Epochs: 3, Patience: 5, LearningRate: 0.05f, BatchSize: 4))
            { Evaluate = evaluation.Evaluate, BatchCompleted = _ => afterSteps.Add(model.Snapshot()) };

        trainer.Train(model, data);

        // An independent EMA over the live parameters seen after each step of epoch 1.
        var expected = initial.Select(t => t.Select(v => (double)v).ToArray()).ToArray();
        for (int step = 1; step <= stepsBeforeEpoch2; step++)
        {
            double beta = Math.Min(0.6, (1.0 + step) / (10.0 + step));
            for (int t = 0; t < expected.Length; t++)
                for (int k = 0; k < expected[t].Length; k++)
                    expected[t][k] = beta * expected[t][k] + (1 - beta) * afterSteps[step - 1][t][k];
        }
        var seen = evaluation.ParametersAtEpoch(1);
        for (int t = 0; t < expected.Length; t++)
            for (int k = 0; k < expected[t].Length; k++) Assert.Equal(expected[t][k], seen[t][k], 4);
        Assert.NotEqual(afterSteps[stepsBeforeEpoch2 - 1], seen);          // not the live values
        Assert.Equal(seen, model.Snapshot());                             // epoch 1 was best: its average is kept
        Assert.Equal(afterSteps[stepsBeforeEpoch2 - 1], atEpoch2);         // epoch 2 trains on from the live values
    }
}
