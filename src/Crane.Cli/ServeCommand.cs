using System.CommandLine;
using Crane.Server;
using Microsoft.Extensions.Hosting;

namespace Crane.Cli;

/// <summary><c>crane serve</c>: a saved model over HTTP until SIGTERM or Ctrl-C.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var defaults = new ServerOptions { ModelFile = "" };
        var modelFile = new Option<string>("--model-file") { Description = "The saved model to serve (model.crane in a run folder).", Required = true };
        var urls = new Option<string>("--urls") { Description = "Where to listen, e.g. http://127.0.0.1:5080 (loopback by default; several separated by ';').", DefaultValueFactory = _ => defaults.Urls };
        var apiKeyFile = new Option<string?>("--api-key-file") { Description = "A file holding the API key (16+ characters) that POST /v1/model/reload needs; without it, reload is off." };
        var maxBatch = new Option<int>("--max-batch-users") { Description = "The most users one POST /v1/recommendations may carry.", DefaultValueFactory = _ => defaults.MaxBatchUsers };
        var threads = new Option<int>("--threads-per-request") { Description = "Kernel threads per request (1: concurrent requests share the cores).", DefaultValueFactory = _ => defaults.ThreadsPerRequest };
        var command = new Command("serve", "Serve a saved model over HTTP: /v1/users/{id}/recommendations, /v1/recommendations (batch), /v1/items/{id}/similar, /healthz, /metrics, /openapi/v1.json, and a page at /.")
        {
            modelFile, urls, apiKeyFile, maxBatch, threads,
        };
        command.SetAction(parse => CliErrors.Run(parse, () =>
        {
            var options = defaults with
            {
                ModelFile = parse.GetRequiredValue(modelFile),
                Urls = parse.GetValue(urls)!,
                ApiKeyFile = parse.GetValue(apiKeyFile),
                MaxBatchUsers = parse.GetValue(maxBatch),
                ThreadsPerRequest = parse.GetValue(threads),
            };
            var app = RecommendationServer.Build(options);
            app.Start();
            ConsoleProgress.Log($"crane serve: {RecommendationServer.Describe(app)} at {string.Join(", ", app.Urls)} (SIGTERM or Ctrl-C stops it)");
            app.WaitForShutdown();
            ConsoleProgress.Log("crane serve: stopped.");
            return 0;
        }));
        return command;
    }
}
