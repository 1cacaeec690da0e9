using Crane.Data;
using Crane.Models;
using Crane.Training;

namespace Crane.Cli;

/// <summary>Runs the <see cref="Trainer"/> on the console: one line per epoch always, a progress bar on a terminal.</summary>
internal static class ConsoleTraining
{
    /// <summary>Trains; every log line is printed and also handed to <paramref name="log"/> (e.g. the run folder's train.log).</summary>
    public static TrainingResult Train(Recommender model, Dataset data, TrainerOptions options, Action<string>? log = null) =>
        ConsoleProgress.Run($"training {model.Kind}", report =>
        {
            var trainer = new Trainer(options)
            {
                Log = line =>
                {
                    ConsoleProgress.Log(line);
                    log?.Invoke(line);
                },
                BatchCompleted = p => report((double)p.Batch / p.Batches, $"training {model.Kind}, epoch {p.Epoch}"),
            };
            return trainer.Train(model, data);
        });
}
