using Spectre.Console;

namespace Crane.Cli;

/// <summary>
/// Runs long work with a progress bar when stdout is a terminal, and without one otherwise; log
/// lines written through <see cref="Log"/> appear in both cases (above the bar on a terminal).
/// </summary>
internal static class ConsoleProgress
{
    /// <summary>
    /// Runs <paramref name="work"/>, handing it a callback that sets the fraction done (0..1) of
    /// the current stage and the bar's caption (e.g. which epoch).
    /// </summary>
    public static T Run<T>(string title, Func<Action<double, string>, T> work)
    {
        if (Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
            return work((_, _) => { });
        return AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask(title, maxValue: 1.0);
                return work((fraction, caption) =>
                {
                    task.Description = Markup.Escape(caption);
                    task.Value = fraction;
                });
            });
    }

    /// <summary>
    /// Writes one plain log line (markup-safe). Into a file or pipe it goes unwrapped, one record
    /// per line, so logs stay greppable; on a terminal Spectre places it above the progress bar.
    /// </summary>
    public static void Log(string line)
    {
        if (Console.IsOutputRedirected) Console.Out.WriteLine(line);
        else AnsiConsole.MarkupLine(Markup.Escape(line));
    }
}
