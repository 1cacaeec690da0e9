using Crane.Serving;

namespace Crane.Server;

/// <summary>The model being served, where it came from and when; replaced whole on reload, never changed.</summary>
/// <param name="Model">The model (its calls on the server's threads per request).</param>
/// <param name="File">The model file it was loaded from (full path).</param>
/// <param name="LoadedAt">When it was loaded.</param>
/// <param name="Generation">1 for the model the server started with, +1 at each reload.</param>
internal sealed record ServedModel(TrainedModel Model, string File, DateTimeOffset LoadedAt, int Generation);

/// <summary>
/// Holds the served model. A request reads <see cref="Current"/> once and uses that model to the
/// end, so a reload (a new model loaded beside the old, then one reference swap) is never seen
/// half-way; a file that fails to load leaves the old model serving.
/// </summary>
internal sealed class ModelHolder(ServedModel first, int threads)
{
    ServedModel _current = first;
    readonly Lock _reloading = new();

    /// <summary>The model to answer with.</summary>
    public ServedModel Current => Volatile.Read(ref _current);

    /// <summary>Loads <paramref name="file"/> and swaps it in; one reload at a time.</summary>
    /// <exception cref="Data.DataException">The file is not a loadable model (nothing changes).</exception>
    public ServedModel Reload(string file)
    {
        lock (_reloading)
        {
            var next = Load(file, threads, Current.Generation + 1);
            Volatile.Write(ref _current, next);
            return next;
        }
    }

    /// <summary>Loads a model file for serving.</summary>
    public static ServedModel Load(string file, int threads, int generation)
    {
        if (!System.IO.File.Exists(file) && !Directory.Exists(file)) throw new FileNotFoundException($"No model file at {Path.GetFullPath(file)}.");
        return new(TrainedModel.Load(file).WithThreads(threads), Path.GetFullPath(file), DateTimeOffset.UtcNow, generation);
    }
}
