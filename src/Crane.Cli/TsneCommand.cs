using System.CommandLine;
using System.Globalization;
using Crane.Experiments;
using Crane.Models;
using Crane.Numerics;
using Crane.Serving;
using Crane.Training;

namespace Crane.Cli;

/// <summary><c>crane tsne</c>: the t-SNE picture of a trained model's user and item representations.</summary>
internal static class TsneCommand
{
    public static Command Create()
    {
        var defaults = new TsneOptions();
        var model = new Option<string>("--model", "-m") { Description = "A run folder or a saved model file (model.crane).", Required = true };
        var sample = new Option<int>("--sample") { Description = "Users sampled, and as many items (fewer when the model has fewer).", DefaultValueFactory = _ => 2000 };
        var output = new Option<string?>("--out", "-o") { Description = "PNG to write (default: tsne.png beside the model file)." };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the sample and the initial layout.", DefaultValueFactory = _ => defaults.Seed };
        var perplexity = new Option<double>("--perplexity") { Description = "t-SNE perplexity.", DefaultValueFactory = _ => defaults.Perplexity };
        var iterations = new Option<int>("--iterations") { Description = "t-SNE gradient steps.", DefaultValueFactory = _ => defaults.Iterations };
        var threads = new Option<int>("--threads") { Description = "Worker threads (default: all cores); the picture is the same for any count.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var command = new Command("tsne", "Draw a trained model's user and item representations (a sample of each) in 2-D with exact t-SNE, coloured by kind.")
        {
            model, sample, output, seed, perplexity, iterations, threads,
        };
        command.SetAction(parse => CliErrors.Run(parse, () =>
        {
            Parallelism.Threads = parse.GetValue(threads);
            string given = parse.GetRequiredValue(model);
            string file = Directory.Exists(given) ? Path.Combine(given, RunFolder.ModelFileName) : given;
            if (!File.Exists(file)) throw new FileNotFoundException($"No saved model at {Path.GetFullPath(file)}.");
            var options = new TsneOptions(Perplexity: parse.GetValue(perplexity), Iterations: parse.GetValue(iterations), Seed: parse.GetValue(seed));
            var trained = TrainedModel.Load(file);
            EmbeddingMap.Result result;
            try
            {
                result = EmbeddingMap.Compute(trained.Scorer, parse.GetValue(sample), options);
            }
            catch (NotSupportedException e) { throw new ArgumentException(e.Message, e); }
            string title = string.Create(CultureInfo.InvariantCulture,
                $"{trained.Kind} on {trained.Origin.DatasetName}: t-SNE (perplexity {options.Perplexity}) of {result.Users.Length:N0} users and {result.Items.Length:N0} items");
            string png = Path.GetFullPath(parse.GetValue(output) ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(file))!, "tsne.png"));
            EmbeddingMap.WritePng(result, title, png);
            ConsoleProgress.Log($"{title}: {png}");
            return 0;
        }));
        return command;
    }
}
