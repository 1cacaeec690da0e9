using System.Diagnostics;
using Crane.Data;
using Crane.Evaluation;
using Crane.Models;
using Crane.Numerics;
using Crane.Optim;

namespace Crane.Training;

/// <summary>
/// protocol.md's training loop: Adam over the model's batches, validation after every epoch, the
/// best validation Recall@20 epoch kept (a copy of its parameters), early stopping after
/// <see cref="TrainerOptions.Patience"/> evaluations without improvement, the best parameters
/// restored, and the test set scored once. The library never prints: callers watch through the
/// callbacks.
/// </summary>
public sealed class Trainer
{
    readonly TrainerOptions _options;

    /// <summary>A trainer with <paramref name="options"/> (protocol.md's defaults when null).</summary>
    public Trainer(TrainerOptions? options = null)
    {
        _options = options ?? new TrainerOptions();
        _options.Validate();
    }

    /// <summary>The options in use.</summary>
    public TrainerOptions Options => _options;

    /// <summary>Receives every log line (one per epoch, plus the closing lines); the run folder's train.log holds the same lines.</summary>
    public Action<string>? Log { get; init; }

    /// <summary>Receives each finished epoch.</summary>
    public Action<EpochRecord>? EpochCompleted { get; init; }

    /// <summary>Receives progress after each batch (for a progress bar).</summary>
    public Action<BatchProgress>? BatchCompleted { get; init; }

    /// <summary>Where a <see cref="TrainingCheckpoint"/> is written at the end of every epoch (none when null).</summary>
    public string? CheckpointPath { get; init; }

    /// <summary>A checkpoint to go on from: training continues at the epoch after it, with the same bits as if never stopped.</summary>
    public TrainingCheckpoint? ResumeFrom { get; init; }

    /// <summary>When cancelled, the run stops after its current step with a <see cref="TrainingInterruptedException"/>.</summary>
    public CancellationToken Stop { get; init; }

    /// <summary>The evaluation used for validation and test; the real full-ranking evaluator unless a test swaps it.</summary>
    internal Func<Recommender, Dataset, Split, MetricSet>? Evaluate { get; init; }

    /// <summary>
    /// Trains <paramref name="model"/> on <paramref name="data"/>. On return the model holds the
    /// best epoch's parameters. Throws <see cref="TrainingException"/> when the loss stops being finite.
    /// </summary>
    public TrainingResult Train(Recommender model, Dataset data)
    {
        var evaluate = Evaluate ?? ((m, d, s) => Evaluator.Evaluate(m, d, s, _options.Evaluation));
        var adam = new Adam(model.Parameters, new AdamOptions(LearningRate: _options.LearningRate, L2Penalty: model.AdamL2Penalty), model.LearningRateScale);
        var average = model.ParameterAveraging > 0f ? new ParameterAverage(model.Parameters, model.ParameterAveraging) : null;
        var sampler = BatchSampler.For(model.BatchKind, data,
            model.BatchKind == BatchKind.Users ? _options.UserBatchSize : _options.BatchSize);
        var samplerRng = Rng.ForStream(_options.Seed, "sampler");
        var epochRng = Rng.ForStream(_options.Seed, "epoch");
        var history = new List<EpochRecord>();
        var best = new BestEpoch(model);
        int sinceBest = 0, first = 1;
        bool stoppedEarly = false;
        if (ResumeFrom is { } checkpoint)
        {
            Restore(checkpoint, model, adam, average, samplerRng, epochRng, best);
            history.AddRange(checkpoint.History);
            (sinceBest, first) = (checkpoint.SinceBest, checkpoint.Epoch + 1);
        }

        for (int epoch = first; epoch <= _options.Epochs; epoch++)
        {
            if (Stop.IsCancellationRequested) throw new TrainingInterruptedException(epoch - 1);
            var clock = Stopwatch.StartNew();
            adam.Options = adam.Options with { LearningRate = _options.LearningRate * model.LearningRateFactor(epoch) };
            model.BeginEpoch(epoch, epochRng);
            double loss = RunEpoch(model, adam, average, sampler, samplerRng, epoch);
            double trainSeconds = clock.Elapsed.TotalSeconds;

            clock.Restart();
            average?.Swap();   // evaluate, select and keep the averaged parameters
            var validation = evaluate(model, data, Split.Valid);
            var mmrecTest = _options.MmrecReport ? evaluate(model, data, Split.Test) : null;
            double evalSeconds = clock.Elapsed.TotalSeconds;

            bool improved = best.Offer(epoch, validation);
            average?.Swap();
            sinceBest = improved ? 0 : sinceBest + 1;
            var record = new EpochRecord(epoch, loss, trainSeconds, evalSeconds, validation, mmrecTest, improved);
            history.Add(record);
            if (CheckpointPath is not null)
                Checkpoint(epoch, history, sinceBest, best, model, adam, average, samplerRng, epochRng).Save(CheckpointPath);
            Log?.Invoke(TrainingLog.Epoch(record));
            EpochCompleted?.Invoke(record);
            if (sinceBest >= _options.Patience && epoch < _options.Epochs)
            {
                stoppedEarly = true;
                Log?.Invoke(TrainingLog.EarlyStop(epoch, _options.Patience, best.Epoch));
                break;
            }
        }

        best.Restore();
        var test = evaluate(model, data, Split.Test);
        var result = new TrainingResult(history, best.Epoch, best.Validation!, test, stoppedEarly);
        Log?.Invoke(TrainingLog.Final(result));
        return result;
    }

    double RunEpoch(Recommender model, Adam adam, ParameterAverage? average, BatchSampler sampler, Rng samplerRng, int epoch)
    {
        double lossSum = 0;
        int count = 0;
        foreach (var batch in sampler.Epoch(samplerRng))
        {
            adam.ZeroGrad();
            var loss = model.Loss(batch);
            float value = loss.Value.Data[0];
            if (!float.IsFinite(value))
                throw new TrainingException(epoch, $"The loss became {value} at epoch {epoch}, batch {count + 1}; " +
                    "training stopped. Try a lower learning rate or a smaller regularisation weight.");
            loss.Backward();
            adam.Step();
            average?.Update();
            lossSum += value;
            count++;
            if (Stop.IsCancellationRequested) throw new TrainingInterruptedException(epoch - 1);   // this epoch is redone on resume
            BatchCompleted?.Invoke(new BatchProgress(epoch, count, Math.Max(count, sampler.BatchesPerEpoch)));
        }
        return count == 0 ? double.NaN : lossSum / count;
    }

    static TrainingCheckpoint Checkpoint(int epoch, List<EpochRecord> history, int sinceBest, BestEpoch best, Recommender model,
        Adam adam, ParameterAverage? average, Rng samplerRng, Rng epochRng)
    {
        var tables = new Dictionary<string, float[]>(StringComparer.Ordinal);
        for (int i = 0; i < model.Parameters.Count; i++)
        {
            tables[$"parameter/{i}"] = (float[])model.Parameters[i].Value.Data.Clone();
            tables[$"adam.m/{i}"] = (float[])adam.FirstMoments[i].Data.Clone();
            tables[$"adam.v/{i}"] = (float[])adam.SecondMoments[i].Data.Clone();
            tables[$"best/{i}"] = (float[])best.Saved[i].Data.Clone();
            if (average is not null) tables[$"average/{i}"] = (float[])average.Averages[i].Data.Clone();
        }
        var states = new Dictionary<string, ulong[]>(StringComparer.Ordinal) { ["sampler"] = samplerRng.SaveState(), ["epoch"] = epochRng.SaveState() };
        model.SaveTrainingState(states);
        return new TrainingCheckpoint
        {
            Epoch = epoch, History = [.. history], SinceBest = sinceBest, BestEpoch = best.Epoch, BestValidation = best.Validation, BestScore = best.Score,
            AdamSteps = adam.StepCount, AverageSteps = average?.Steps ?? 0, States = states, Tables = tables,
        };
    }

    static void Restore(TrainingCheckpoint c, Recommender model, Adam adam, ParameterAverage? average, Rng samplerRng, Rng epochRng, BestEpoch best)
    {
        float[] Table(string name, int length)
        {
            if (!c.Tables.TryGetValue(name, out var table))
                throw new ArgumentException($"The checkpoint has no table '{name}': it was written by another model or with other settings.");
            if (table.Length != length)
                throw new ArgumentException($"The checkpoint's table '{name}' has {table.Length} values where the model has {length}: it was written by another model or with other settings.");
            return table;
        }
        for (int i = 0; i < model.Parameters.Count; i++)
        {
            int n = model.Parameters[i].Value.Length;
            Table($"parameter/{i}", n).CopyTo(model.Parameters[i].Value.Data, 0);
            Table($"adam.m/{i}", n).CopyTo(adam.FirstMoments[i].Data, 0);
            Table($"adam.v/{i}", n).CopyTo(adam.SecondMoments[i].Data, 0);
            Table($"best/{i}", n).CopyTo(best.Saved[i].Data, 0);
            if (average is not null) Table($"average/{i}", n).CopyTo(average.Averages[i].Data, 0);
        }
        adam.StepCount = c.AdamSteps;
        if (average is not null) average.Steps = c.AverageSteps;
        samplerRng.RestoreState(c.States["sampler"]);
        epochRng.RestoreState(c.States["epoch"]);
        best.Resume(c.BestEpoch, c.BestValidation, c.BestScore);
        model.RestoreTrainingState(c.States, c.Epoch + 1);
    }
}

/// <summary>A run stopped on request (<see cref="Trainer.Stop"/>) after <see cref="LastEpoch"/> complete epochs.</summary>
public sealed class TrainingInterruptedException(int lastEpoch)
    : Exception($"Training was stopped after {lastEpoch} complete epoch(s); the epoch in progress is redone on resume.")
{
    /// <summary>The last epoch completed (and checkpointed), 0 when none.</summary>
    public int LastEpoch => lastEpoch;
}
