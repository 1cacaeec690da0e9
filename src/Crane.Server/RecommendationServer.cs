using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace Crane.Server;

/// <summary>
/// <c>crane serve</c>: a trained model behind an ASP.NET Core minimal API — recommendations for a
/// user or a batch, similar items, a user's history, <c>/healthz</c>, Prometheus <c>/metrics</c>,
/// an OpenAPI document at <c>/openapi/v1.json</c>, hot model reload, and a page at <c>/</c>.
/// </summary>
public static class RecommendationServer
{
    static readonly Counter Errors = Metrics.CreateCounter("crane_http_errors_total", "Requests answered with a 4xx or 5xx status.", "code");

    /// <summary>
    /// Loads the model and the API key and builds the server, not yet started
    /// (<c>Run</c>, or <c>StartAsync</c> then <c>StopAsync</c>). SIGTERM and Ctrl-C stop it
    /// gracefully: it stops accepting connections and finishes the requests in flight.
    /// </summary>
    /// <exception cref="Data.DataException">The model file or the API key file is not usable.</exception>
    public static WebApplication Build(ServerOptions options, string[]? args = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.MaxK < 1 || options.MaxBatchUsers < 1 || options.MaxRequestBytes < 1 || options.ThreadsPerRequest < 1)
            throw new ArgumentException("The server's limits (max k, batch users, request bytes, threads per request) must each be at least 1.");
        var first = ModelHolder.Load(options.ModelFile, options.ThreadsPerRequest, generation: 1);
        var key = options.ApiKeyFile is null ? null : ApiKey.Read(options.ApiKeyFile);
        var models = new ModelHolder(first, options.ThreadsPerRequest);

        var builder = WebApplication.CreateSlimBuilder(args ?? []);
        builder.WebHost.UseUrls(options.Urls);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = options.MaxRequestBytes);
        builder.Logging.SetMinimumLevel(LogLevel.Warning).AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(10));
        builder.Services.ConfigureHttpJsonOptions(o => Configure(o.SerializerOptions));
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi(openApi => openApi.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Crane recommendation API";
            document.Info.Description = "Recommendations, similar items and hot reload for a trained Crane model. Ids are the raw ids of the data files.";
            return Task.CompletedTask;
        }));
        builder.Services.AddSingleton(models);

        var app = builder.Build();
        var json = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<JsonOptions>>().Value.SerializerOptions;
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseHttpMetrics();
        app.Use(async (context, next) =>
        {
            await next(context);
            if (context.Response.StatusCode >= 400) Errors.WithLabels(context.Response.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture)).Inc();
        });

        Api.Map(app, models, options, key, json);
        app.MapGet("/", () => Results.Content(Page.Html, "text/html; charset=utf-8")).ExcludeFromDescription();
        app.MapMetrics("/metrics");
        app.MapOpenApi();
        return app;
    }

    /// <summary>The API's JSON: snake_case names, absent fields left out.</summary>
    internal static void Configure(JsonSerializerOptions json)
    {
        json.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        json.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        json.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
    }

    /// <summary>What the server serves, for the start-up line.</summary>
    public static string Describe(WebApplication app)
    {
        var served = app.Services.GetService<ModelHolder>()?.Current;
        return served is null ? "" : $"{served.Model.Kind} on {served.Model.Origin.DatasetName} ({served.Model.UserCount:N0} users, {served.Model.ItemCount:N0} items)";
    }
}
