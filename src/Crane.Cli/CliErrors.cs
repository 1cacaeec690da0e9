using System.CommandLine;
using Crane.Data;
using Crane.Training;

namespace Crane.Cli;

/// <summary>
/// Turns the errors a user can cause into a message on stderr and an exit code, instead of a
/// stack trace: bad input data or arguments → 2, a training run that could not go on → 1.
/// </summary>
internal static class CliErrors
{
    /// <summary>Exit code for bad input (data files, options, settings).</summary>
    public const int BadInput = 2;

    /// <summary>Exit code for a run that failed on valid input.</summary>
    public const int Failed = 1;

    /// <summary>The message alone: .NET appends "(Parameter 'x')" and "Actual value was …" to argument errors, which say nothing to a user.</summary>
    static string Plain(Exception e)
    {
        var message = e.Message.Split('\n')[0].TrimEnd();
        return e is ArgumentException { ParamName: { } name } ? message.Replace($" (Parameter '{name}')", "") : message;
    }

    /// <summary>Runs a verb's body, mapping expected errors to messages and exit codes.</summary>
    public static int Run(ParseResult parse, Func<int> body)
    {
        var error = parse.InvocationConfiguration.Error;
        try
        {
            return body();
        }
        catch (Exception e) when (e is DataException or ArgumentException or FileNotFoundException or DirectoryNotFoundException or Serving.UnknownIdException or NotSupportedException)
        {
            error.WriteLine($"error: {Plain(e)}");
            return BadInput;
        }
        catch (TrainingException e)
        {
            error.WriteLine($"error: {e.Message}");
            return Failed;
        }
    }
}
