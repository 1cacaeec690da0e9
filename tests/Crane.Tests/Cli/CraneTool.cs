using System.CommandLine;
using Crane.Cli;
using Crane.Numerics;

namespace Crane.Tests.Cli;

/// <summary>The crane tool run in-process; callers join the Parallelism collection because --threads sets the process-wide thread count.</summary>
internal static class CraneTool
{
    /// <summary>The exit code and what the parser and the error handler wrote (log lines go to the console).</summary>
    public static (int Code, string Output, string Error) Run(params string[] args)
    {
        int threads = Parallelism.Threads;
        var (output, error) = (new StringWriter(), new StringWriter());
        try
        {
            int code = CraneCommand.Run(args, new InvocationConfiguration { Output = output, Error = error });
            return (code, output.ToString(), error.ToString());
        }
        finally { Parallelism.Threads = threads; }
    }
}
