using Crane.Models;
using Crane.Numerics;
using ScottPlot;

namespace Crane.Experiments;

/// <summary>
/// The t-SNE picture of a trained model's user and item representations
/// (the vectors of an <see cref="InnerProductScorer"/>): a uniform sample of each, laid out together,
/// coloured by kind.
/// </summary>
public static class EmbeddingMap
{
    /// <summary>The sampled rows and their layout.</summary>
    /// <param name="Users">The sampled user ids, ascending.</param>
    /// <param name="Items">The sampled item ids, ascending.</param>
    /// <param name="Layout">(x, y) per point: the users first, then the items.</param>
    public sealed record Result(int[] Users, int[] Items, double[] Layout);

    /// <summary>
    /// Samples up to <paramref name="sample"/> users and as many items (without replacement, from
    /// the "tsne-sample" stream of the options' seed) and lays their rows out with <see cref="Tsne"/>.
    /// </summary>
    /// <exception cref="NotSupportedException">The model does not score by inner products of user and item vectors.</exception>
    public static Result Compute(Scorer scorer, int sample, TsneOptions options)
    {
        if (sample < 1) throw new ArgumentException($"The t-SNE sample must be at least 1 per kind, got {sample}.", nameof(sample));
        var vectors = scorer as InnerProductScorer
            ?? throw new NotSupportedException($"Model '{scorer.Kind}' has no user and item vectors whose inner products are its scores, so its embeddings cannot be drawn.");
        var rng = Rng.ForStream(options.Seed, "tsne-sample");
        int[] users = Sample(vectors.UserCount, sample, rng), items = Sample(vectors.ItemCount, sample, rng);
        var points = new Tensor(users.Length + items.Length, vectors.Dimension);
        for (int k = 0; k < users.Length; k++) vectors.UserVector(users[k]).CopyTo(points.Row(k));
        for (int k = 0; k < items.Length; k++) vectors.ItemVector(items[k]).CopyTo(points.Row(users.Length + k));
        return new Result(users, items, Tsne.Embed(points, options));
    }

    /// <summary>The layout as a PNG: users and items in two colours, with a legend and <paramref name="title"/>.</summary>
    public static byte[] Png(Result result, string title, int width = 900, int height = 800)
    {
        var plot = new Plot();
        int u = result.Users.Length;
        double[] X(int from, int count) => Enumerable.Range(from, count).Select(k => result.Layout[2 * k]).ToArray();
        double[] Y(int from, int count) => Enumerable.Range(from, count).Select(k => result.Layout[2 * k + 1]).ToArray();
        var users = plot.Add.ScatterPoints(X(0, u), Y(0, u));
        users.LegendText = $"users ({u:N0})";
        users.MarkerSize = 4;
        var items = plot.Add.ScatterPoints(X(u, result.Items.Length), Y(u, result.Items.Length));
        items.LegendText = $"items ({result.Items.Length:N0})";
        items.MarkerSize = 4;
        plot.Title(title);
        plot.ShowLegend(Edge.Bottom);
        return plot.GetImageBytes(width, height, ImageFormat.Png);
    }

    /// <summary>Writes <see cref="Png"/> to <paramref name="path"/> atomically.</summary>
    public static void WritePng(Result result, string title, string path)
    {
        var png = Png(result, title);
        Data.AtomicFile.Write(path, stream => stream.Write(png));
    }

    /// <summary>min(count, sample) distinct ids from [0, count), ascending.</summary>
    static int[] Sample(int count, int sample, Rng rng)
    {
        var ids = Enumerable.Range(0, count).ToArray();
        rng.Shuffle(ids.AsSpan());
        var chosen = ids[..Math.Min(sample, count)];
        Array.Sort(chosen);
        return chosen;
    }
}
