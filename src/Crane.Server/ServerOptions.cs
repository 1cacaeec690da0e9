namespace Crane.Server;

/// <summary>How <c>crane serve</c> runs: which model, where, and the limits it enforces.</summary>
public sealed record ServerOptions
{
    /// <summary>The saved model to serve (model.crane).</summary>
    public required string ModelFile { get; init; }

    /// <summary>Where to listen (semicolon-separated URLs). Loopback by default: exposing a server is a decision.</summary>
    public string Urls { get; init; } = "http://127.0.0.1:5080";

    /// <summary>A file holding the API key that <c>POST /v1/model/reload</c> needs; without one, reload is off.</summary>
    public string? ApiKeyFile { get; init; }

    /// <summary>The largest k a request may ask for.</summary>
    public int MaxK { get; init; } = 1000;

    /// <summary>The most users one batch request may carry.</summary>
    public int MaxBatchUsers { get; init; } = 1000;

    /// <summary>The largest request body in bytes; a larger one is refused with 413.</summary>
    public long MaxRequestBytes { get; init; } = 1 << 20;

    /// <summary>
    /// Kernel threads per request (1 by default: concurrent requests then run side by side on the
    /// cores instead of each one splitting across them).
    /// </summary>
    public int ThreadsPerRequest { get; init; } = 1;
}
