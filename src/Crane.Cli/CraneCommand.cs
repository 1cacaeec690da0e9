using System.CommandLine;
using System.CommandLine.Help;

namespace Crane.Cli;

/// <summary>The <c>crane</c> root command with every verb.</summary>
internal static class CraneCommand
{
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
        TrainCommand.Create(),
        EvaluateCommand.Create(),
        RecommendCommand.Create(),
        ServeCommand.Create(),
        ExperimentCommand.Create(),
        TsneCommand.Create(),
    };
}
