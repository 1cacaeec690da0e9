using Crane.Data;
using Crane.Experiments;
using Crane.Models;
using Crane.Training;

namespace Crane.Cli;

/// <summary>Runs the <see cref="Trainer"/> on the console: one line per epoch always, a progress bar on a terminal.</summary>
internal static class ConsoleTraining
{
    /// <summary>
    /// Trains; every log line is printed and also handed to the run folder's <paramref name="hooks"/>
    /// (with its history and checkpoint), from <paramref name="resume"/> when given, until
    /// <paramref name="stop"/> is cancelled.
    /// </summary>
    public static TrainingResult Train(Recommender model, Dataset data, TrainerOptions options, RunHooks? hooks = null,
        TrainingCheckpoint? resume = null, CancellationToken stop = default) =>
        ConsoleProgress.Run($"training {model.Kind}", report =>
        {
            var trainer = new Trainer(options)
            {
                Log = line =>
                {
                    ConsoleProgress.Log(line);
                    hooks?.Log(line);
                },
                EpochCompleted = hooks?.EpochCompleted,
                CheckpointPath = hooks?.CheckpointPath,
                ResumeFrom = resume,
                Stop = stop,
                BatchCompleted = p => report((double)p.Batch / p.Batches, $"training {model.Kind}, epoch {p.Epoch}"),
            };
            return trainer.Train(model, data);
        });
}
