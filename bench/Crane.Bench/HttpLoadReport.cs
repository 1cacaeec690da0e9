using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Crane.Numerics;

namespace Crane.Bench;

/// <summary>
/// `report http`: a load generator on loopback against `crane serve` (a process of its own) at
/// 1, 8 and 64 concurrent clients, each level bounded in seconds and in requests; requests/s,
/// p50/p99 latency, failed requests, the server's peak memory, and a model reload in the middle
/// of every level. Only 127.0.0.1 is ever addressed.
/// </summary>
internal static partial class HttpLoadReport
{
    public static void Run(string[] args)
    {
        var options = new ReportArgs("report http", args);
        double seconds = double.Parse(options.Value("--seconds", "8"), System.Globalization.CultureInfo.InvariantCulture);
        int maxRequests = options.Int("--requests", 200_000);
        int[] levels = options.Value("--clients", "1,8,64").Split(',').Select(int.Parse).ToArray();
        var folder = Directory.CreateTempSubdirectory("crane-http-bench-").FullName;
        try
        {
            Console.WriteLine($"report http: GET /v1/users/{{random user}}/recommendations?k=10 on 127.0.0.1, {seconds} s or {maxRequests:N0} requests per level, " +
                $"a reload at half time; {ReportTiming.CpuModel()}, {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd}");
            Console.WriteLine("| catalogue | clients | requests | requests/s | p50 (ms) | p99 (ms) | failed | reload (ms, status) | server peak RSS (MB) | reference: GET /healthz requests/s | ratio |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var (name, users, items) in ServingModels.Shapes)
            {
                string file = Path.Combine(folder, "model.crane");
                ServingModels.Random(users, items).Save(file);
                string keyFile = Path.Combine(folder, "api.key");
                string key = Convert.ToHexString(RandomNumberGenerator.GetBytes(20));
                File.WriteAllText(keyFile, key);
                using var server = Server.Start(file, keyFile);
                foreach (int clients in levels)
                {
                    var r = Load(server.Url, rng => $"/v1/users/u{rng.NextInt(users)}/recommendations?k=10", clients, seconds, maxRequests, key);
                    // The HTTP stack alone (a handler that reads no model), at the same concurrency, right after.
                    var health = Load(server.Url, _ => "/healthz", clients, seconds / 2, maxRequests, key: null);
                    double rps = r.Requests / r.Seconds, healthRps = health.Requests / health.Seconds;
                    Console.WriteLine($"| {name} ({items:N0} items) | {clients} | {r.Requests:N0} | {rps:N0} | {r.P50:F2} | {r.P99:F2} | {r.Failed + health.Failed} | {r.ReloadMs:F0} ({r.ReloadStatus}) | {server.PeakRssMb():N0} | {healthRps:N0} | {rps / healthRps:F2} |");
                }
            }
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    sealed record Result(int Requests, double Seconds, double P50, double P99, int Failed, double ReloadMs, string ReloadStatus);

    /// <summary>
    /// <paramref name="clients"/> loops of GET requests (paths from <paramref name="path"/>) until the time or the request budget is
    /// spent; with a <paramref name="key"/>, a model reload at half time.
    /// </summary>
    static Result Load(string url, Func<Rng, string> path, int clients, double seconds, int maxRequests, string? key)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = clients, UseProxy = false };
        using var http = new HttpClient(handler) { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
        // Warm-up: connections opened, JIT done.
        Parallel.For(0, clients * 20, new ParallelOptions { MaxDegreeOfParallelism = clients }, n => http.GetAsync(path(new Rng((ulong)n))).Result.Dispose());

        var latencies = new List<double>[clients];
        int issued = 0, failed = 0;
        var clock = Stopwatch.StartNew();
        async Task Client(int c)
        {
            var rng = new Rng((ulong)c + 1);
            var mine = latencies[c] = new List<double>(1 << 16);
            while (clock.Elapsed.TotalSeconds < seconds && Interlocked.Increment(ref issued) <= maxRequests)
            {
                long start = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await http.GetAsync(path(rng));
                    await response.Content.ReadAsByteArrayAsync();
                    if (response.StatusCode != HttpStatusCode.OK) Interlocked.Increment(ref failed);
                }
                catch (HttpRequestException) { Interlocked.Increment(ref failed); }
                mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        }
        async Task<(double Ms, string Status)> Reload()
        {
            if (key is null) return (double.NaN, "none");
            await Task.Delay(TimeSpan.FromSeconds(seconds / 2));
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/model/reload");
            request.Headers.Add("X-Api-Key", key);
            long start = Stopwatch.GetTimestamp();
            using var response = await http.SendAsync(request);
            return (Stopwatch.GetElapsedTime(start).TotalMilliseconds, ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        var reload = Task.Run(Reload);
        Task.WaitAll(Enumerable.Range(0, clients).Select(c => Task.Run(() => Client(c))).ToArray());
        double elapsed = clock.Elapsed.TotalSeconds;
        var (reloadMs, status) = reload.Result;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        return new Result(all.Length, elapsed, all[all.Length / 2], all[(int)(all.Length * 0.99)], failed, reloadMs, status);
    }

    /// <summary>`crane serve` in a child process on a free loopback port.</summary>
    sealed partial class Server : IDisposable
    {
        readonly Process _process;
        public string Url { get; }

        Server(Process process, string url) => (_process, Url) = (process, url);

        public static Server Start(string modelFile, string keyFile)
        {
            // The CLI's build output of the same configuration: bench/Crane.Bench/bin/X/net10.0 → src/Crane.Cli/bin/X/net10.0.
            var root = SharedFiles.RepoRoot() ?? throw new InvalidOperationException("report http runs from the repository (no Crane.slnx above it).");
            var output = Path.GetRelativePath(Path.Combine(root.FullName, "bench", "Crane.Bench"), AppContext.BaseDirectory);
            var cli = Path.Combine(root.FullName, "src", "Crane.Cli", output, "Crane.Cli.dll");
            var process = Process.Start(new ProcessStartInfo("dotnet", ["exec", cli, "serve", "--model-file", modelFile, "--api-key-file", keyFile, "--urls", "http://127.0.0.1:0"])
            {
                RedirectStandardOutput = true, RedirectStandardError = true,
            })!;
            var url = new TaskCompletionSource<string>();
            process.OutputDataReceived += (_, e) => { if (e.Data is not null && Listening().Match(e.Data) is { Success: true } m) url.TrySetResult(m.Groups[1].Value); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            if (!url.Task.Wait(TimeSpan.FromSeconds(120))) { process.Kill(); throw new TimeoutException("crane serve did not start in 120 s."); }
            return new Server(process, url.Task.Result);
        }

        /// <summary>The server process's peak resident set (VmHWM) in MB.</summary>
        public double PeakRssMb()
        {
            var line = File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024;
        }

        public void Dispose()
        {
            using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) term.WaitForExit();
            if (!_process.WaitForExit(20_000)) _process.Kill();
            _process.Dispose();
        }

        [GeneratedRegex(@"crane serve: .* at (http://127\.0\.0\.1:\d+)")]
        private static partial Regex Listening();
    }
}
