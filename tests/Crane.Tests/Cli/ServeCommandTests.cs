using System.Diagnostics;
using System.Text.RegularExpressions;
using Crane.Tests.Server;

namespace Crane.Tests.Cli;

/// <summary><c>crane serve</c> as a user runs it: a real process on loopback, stopped by SIGTERM.</summary>
[Collection("Parallelism")]
public sealed partial class ServeCommandTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task It_serves_until_sigterm_then_stops_cleanly_with_exit_code_0()
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "Crane.Cli.dll");
        var start = new ProcessStartInfo("dotnet", ["exec", cli, "serve", "--model-file", fixture.LightGcnFile, "--urls", "http://127.0.0.1:0"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var listening = new TaskCompletionSource<string>();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            output.Enqueue(e.Data);
            if (ListeningLine().Match(e.Data) is { Success: true } m) listening.TrySetResult(m.Groups[1].Value);
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var url = await listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
            using var client = new HttpClient { BaseAddress = new Uri(url) };
            Assert.Contains("\"status\":\"ok\"", await client.GetStringAsync("/healthz"));

            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await kill.WaitForExitAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));

            Assert.Equal(0, process.ExitCode);
            Assert.Contains(output, line => line.Contains("Application is shutting down", StringComparison.Ordinal));
            Assert.Contains("crane serve: stopped.", output);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public void A_corrupt_model_file_exits_with_code_2_and_a_message()
    {
        var corrupt = Path.Combine(fixture.Folder, "not-a-model.crane");
        File.WriteAllText(corrupt, "hello");
        var (code, _, error) = CraneTool.Run("serve", "--model-file", corrupt);
        Assert.Equal(2, code);
        Assert.Contains("not a Crane model file", error);
    }

    [GeneratedRegex(@"crane serve: .* at (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningLine();
}
