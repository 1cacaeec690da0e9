using System.Diagnostics;
using System.Text.Json;
using Crane.Data;
using Crane.Experiments;

namespace Crane.Tests.Cli;

/// <summary>
/// <c>crane train</c> as a process stopped by SIGINT and SIGTERM, then <c>crane train --resume</c>:
/// the stopped run is marked, keeps its epochs and checkpoint, and ends with the bits of a run never stopped.
/// </summary>
public sealed class ResumeCommandTests : IDisposable
{
    readonly string _root = Directory.CreateTempSubdirectory("crane-resume-cli-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    static readonly string Cli = Path.Combine(AppContext.BaseDirectory, "Crane.Cli.dll");

    string[] TrainArgs(string data, string run) =>
        ["train", "--model", "lightgcn", "--data", data, "--out", run, "--epochs", "30", "--patience", "100", "--threads", "1", "--lr", "0.01"];

    /// <summary>Runs the CLI; with <paramref name="signal"/>, sends it once the epoch-3 line is printed.</summary>
    static async Task<(int Code, string Output, string Error)> Crane(string[] args, string? signal = null)
    {
        var start = new ProcessStartInfo("dotnet", ["exec", Cli, .. args]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var (output, error) = (new System.Text.StringBuilder(), new System.Text.StringBuilder());
        var third = new TaskCompletionSource();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (output) output.AppendLine(e.Data);
            if (e.Data.StartsWith("epoch    3", StringComparison.Ordinal)) third.TrySetResult();
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (error) error.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            if (signal is not null)
            {
                await third.Task.WaitAsync(TimeSpan.FromSeconds(60));
                using var kill = Process.Start("kill", [$"-{signal}", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
                await kill.WaitForExitAsync();
            }
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
        }
        finally { if (!process.HasExited) process.Kill(entireProcessTree: true); }
        return (process.ExitCode, output.ToString(), error.ToString());
    }

    static JsonElement Test(string run) => JsonDocument.Parse(File.ReadAllText(Path.Combine(run, RunFolder.MetricsFile))).RootElement.GetProperty("test");

    [Theory]
    [InlineData("INT", 130)]
    [InlineData("TERM", 143)]
    public async Task A_signal_stops_the_run_resumably_and_the_resumed_run_matches_one_never_stopped(string signal, int expectedCode)
    {
        string data = Path.Combine(_root, "data");
        DatasetWriter.Write(SyntheticGenerator.Generate(SyntheticOptions.Demo), data);
        string never = Path.Combine(_root, "never"), stopped = Path.Combine(_root, "stopped");
        Assert.Equal(0, (await Crane(TrainArgs(data, never))).Code);

        var (code, _, error) = await Crane(TrainArgs(data, stopped), signal);

        Assert.Equal(expectedCode, code);
        Assert.Contains($"Go on with: crane train --resume {stopped}", error);
        Assert.Contains("\"status\": \"interrupted\"", File.ReadAllText(Path.Combine(stopped, RunFolder.ManifestFile)));
        Assert.True(File.Exists(Path.Combine(stopped, RunFolder.CheckpointFile)));
        Assert.InRange(File.ReadAllLines(Path.Combine(stopped, RunFolder.HistoryFile)).Length - 1, 3, 29); // the epochs done, kept
        Assert.False(File.Exists(Path.Combine(stopped, RunFolder.MetricsFile)));

        var resumed = await Crane(["train", "--resume", stopped]);
        Assert.Equal(0, resumed.Code);
        Assert.Equal(File.ReadAllBytes(Path.Combine(never, RunFolder.ModelFileName)), File.ReadAllBytes(Path.Combine(stopped, RunFolder.ModelFileName)));
        Assert.Equal(File.ReadAllText(Path.Combine(never, RunFolder.MetricsFile)), File.ReadAllText(Path.Combine(stopped, RunFolder.MetricsFile))); // holds no timings
        Assert.True(Test(stopped).GetProperty("users_evaluated").GetInt32() > 0);
        Assert.Equal(File.ReadAllLines(Path.Combine(never, RunFolder.HistoryFile)).Length, File.ReadAllLines(Path.Combine(stopped, RunFolder.HistoryFile)).Length);
        Assert.Contains("\"status\": \"completed\"", File.ReadAllText(Path.Combine(stopped, RunFolder.ManifestFile)));
        Assert.False(File.Exists(Path.Combine(stopped, RunFolder.CheckpointFile)));
    }
}
