using System.CommandLine;
using System.CommandLine.Help;

namespace Crane.Cli;

/// <summary>The <c>crane</c> root command with every verb.</summary>
internal static class CraneCommand
{
    /// <summary>
    /// Parses and runs <paramref name="args"/>. A command line that does not parse (an unknown
    /// option, a missing required one, a bad value) is bad input like any other: its errors go to
    /// stderr and the exit code is <see cref="CliErrors.BadInput"/>.
    /// </summary>
    public static int Run(string[] args, InvocationConfiguration? configuration = null)
    {
        var parse = Create().Parse(args);
        configuration ??= new InvocationConfiguration();
        if (parse.Errors.Count == 0) return parse.Invoke(configuration);
        foreach (var error in parse.Errors) configuration.Error.WriteLine($"error: {error.Message}");
        var verb = parse.CommandResult.Command;
        configuration.Error.WriteLine($"See '{(verb.Name == "crane" ? "crane" : "crane " + verb.Name)} --help'.");
        return CliErrors.BadInput;
    }

    /// <summary>
    /// The root. Not a RootCommand, whose name is the executable's ("Crane.Cli", kept distinct from
    /// Crane.dll): help and usage must say "crane", the name the tool is installed under.
    /// </summary>
    public static Command Create() => new("crane", "crane — multimodal recommendation: prepare data, train, evaluate, recommend and serve from interactions and item content.")
    {
        new HelpOption { Recursive = true },
        new VersionOption(),
        DemoCommand.Create(),
        PrepareCommand.Create(),
        FeaturizeCommand.Create(),
        TrainCommand.Create(),
        EvaluateCommand.Create(),
        RecommendCommand.Create(),
        ServeCommand.Create(),
        ExperimentCommand.Create(),
        TsneCommand.Create(),
    };
}
