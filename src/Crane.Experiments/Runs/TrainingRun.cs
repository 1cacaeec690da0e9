using Crane.Data;
using Crane.Models;
using Crane.Training;

namespace Crane.Experiments;

/// <summary>What a run folder asks of the trainer (<see cref="Trainer"/>'s hooks of the same names).</summary>
/// <param name="Log">Receives every log line (train.log).</param>
/// <param name="EpochCompleted">Receives each finished epoch (history.csv is rewritten as the run goes).</param>
/// <param name="CheckpointPath">Where the trainer writes its checkpoint after every epoch.</param>
public sealed record RunHooks(Action<string> Log, Action<EpochRecord> EpochCompleted, string CheckpointPath);

/// <summary>
/// One training run written to a run folder, the same way for <c>crane train</c> and every run of
/// <c>crane experiment</c>: after the caller's <see cref="RunFolder.Begin"/> (config and manifest),
/// the header and every epoch line in train.log, history.csv and checkpoint.json after every epoch,
/// then model.crane, metrics.json and curves.png; or a "failed" or "interrupted" manifest.
/// </summary>
public static class TrainingRun
{
    /// <summary>
    /// In a <paramref name="folder"/> already begun (<see cref="RunFolder.Begin"/>) with
    /// <paramref name="config"/>: logs <paramref name="header"/>, trains through
    /// <paramref name="train"/> (which gets the folder's hooks), saves the model and completes the
    /// folder. A <see cref="TrainingException"/> marks the folder failed, a
    /// <see cref="TrainingInterruptedException"/> interrupted (its checkpoint kept); both are rethrown.
    /// </summary>
    /// <param name="folder">The run folder, begun.</param>
    /// <param name="config">The run's configuration (config.json).</param>
    /// <param name="model">The freshly built model; it holds the best epoch's parameters on return.</param>
    /// <param name="data">The dataset.</param>
    /// <param name="header">The first log line (what runs, on what, where).</param>
    /// <param name="train">Trains the model with the folder's hooks.</param>
    /// <param name="print">Also receives the header (e.g. the console); the epoch lines are <paramref name="train"/>'s to print.</param>
    /// <param name="done">The epochs a resumed run already has (its checkpoint's history).</param>
    public static TrainingResult Execute(RunFolder folder, RunConfig config, Recommender model, Dataset data, string header,
        Func<RunHooks, TrainingResult> train, Action<string>? print = null, IReadOnlyList<EpochRecord>? done = null)
    {
        print?.Invoke(header);
        folder.Log(header);
        var history = new List<EpochRecord>(done ?? []);
        var hooks = new RunHooks(folder.Log, record => { history.Add(record); folder.WriteHistory(history); }, folder.PathOf(RunFolder.CheckpointFile));
        TrainingResult result;
        try
        {
            result = train(hooks);
        }
        catch (TrainingException e)
        {
            folder.Fail(e.Message);
            throw;
        }
        catch (TrainingInterruptedException e)
        {
            folder.Interrupt($"interrupted after epoch {e.LastEpoch} ({RunFolder.CheckpointFile} holds it); resume with: crane train --resume {folder.Path}");
            throw;
        }
        folder.SaveModel(model, data, config.Settings, config.Training.Seed);
        folder.Complete(result);
        return result;
    }
}
