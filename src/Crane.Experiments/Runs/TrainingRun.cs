using Crane.Data;
using Crane.Models;
using Crane.Training;

namespace Crane.Experiments;

/// <summary>
/// One training run written to a run folder, the same way for <c>crane train</c> and every run of
/// <c>crane experiment</c>: after the caller's <see cref="RunFolder.Begin"/> (config and manifest),
/// the header and every epoch line in train.log, then model.crane, history.csv, metrics.json and
/// curves.png, or a "failed" manifest.
/// </summary>
public static class TrainingRun
{
    /// <summary>
    /// In a <paramref name="folder"/> already begun (<see cref="RunFolder.Begin"/>) with
    /// <paramref name="config"/>: logs <paramref name="header"/>, trains through
    /// <paramref name="train"/> (which gets the folder's log), saves the model and completes the
    /// folder. A <see cref="TrainingException"/> marks the folder failed and is rethrown.
    /// </summary>
    /// <param name="folder">The run folder, begun.</param>
    /// <param name="config">The run's configuration (config.json).</param>
    /// <param name="model">The freshly built model; it holds the best epoch's parameters on return.</param>
    /// <param name="data">The dataset.</param>
    /// <param name="header">The first log line (what runs, on what, where).</param>
    /// <param name="train">Trains the model, handing every log line to the action it gets.</param>
    /// <param name="print">Also receives the header (e.g. the console); the epoch lines are <paramref name="train"/>'s to print.</param>
    public static TrainingResult Execute(RunFolder folder, RunConfig config, Recommender model, Dataset data, string header,
        Func<Action<string>, TrainingResult> train, Action<string>? print = null)
    {
        print?.Invoke(header);
        folder.Log(header);
        TrainingResult result;
        try
        {
            result = train(folder.Log);
        }
        catch (TrainingException e)
        {
            folder.Fail(e.Message);
            throw;
        }
        folder.SaveModel(model, data, config.Settings, config.Training.Seed);
        folder.Complete(result);
        return result;
    }
}
