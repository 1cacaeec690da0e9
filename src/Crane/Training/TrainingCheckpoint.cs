using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using Crane.Data;
using Crane.Evaluation;

namespace Crane.Training;

/// <summary>
/// Everything a training run holds at the end of an epoch, so that a run resumed from it ends with
/// the same bits as one that was never stopped: the parameters, Adam's moments and step count, the
/// parameter average, the sampler's and the epoch stream's generator states, the model's own
/// training state (<see cref="Models.Recommender.SaveTrainingState"/>), the early-stopping state
/// and the history so far. Saved as one JSON file (tables as base64 float32), atomically.
/// </summary>
public sealed class TrainingCheckpoint
{
    /// <summary>The last epoch completed (its evaluation included).</summary>
    public required int Epoch { get; init; }

    /// <summary>One record per epoch completed.</summary>
    public required IReadOnlyList<EpochRecord> History { get; init; }

    /// <summary>Epochs since the best one (early stopping's counter).</summary>
    public required int SinceBest { get; init; }

    /// <summary>The best epoch so far (0 before the first).</summary>
    public required int BestEpoch { get; init; }

    /// <summary>Its validation metrics.</summary>
    public MetricSet? BestValidation { get; init; }

    /// <summary>Its selection score.</summary>
    public required double BestScore { get; init; }

    /// <summary>Adam's step count.</summary>
    public required int AdamSteps { get; init; }

    /// <summary>The parameter average's update count (0 without one).</summary>
    public required int AverageSteps { get; init; }

    /// <summary>Generator states by name ("sampler", "epoch", and the model's own).</summary>
    public required IReadOnlyDictionary<string, ulong[]> States { get; init; }

    /// <summary>Float tables by name: each parameter's value, its Adam moments, its average and its best-epoch copy.</summary>
    public required IReadOnlyDictionary<string, float[]> Tables { get; init; }

    static readonly JsonSerializerOptions Json = new()
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        RespectNullableAnnotations = true,
        Converters = { new FloatsAsBase64() },
    };

    /// <summary>Writes the checkpoint to <paramref name="path"/> atomically (temporary file + rename).</summary>
    public void Save(string path) => AtomicFile.Write(path, stream => JsonSerializer.Serialize(stream, this, Json));

    /// <summary>Reads a checkpoint; anything unreadable is a <see cref="DataException"/> naming the file.</summary>
    public static TrainingCheckpoint Load(string path)
    {
        if (!File.Exists(path)) throw new DataException(path, null, "no checkpoint (the run stopped before its first epoch ended, or the folder is not a run's).");
        try
        {
            using var stream = File.OpenRead(path);
            return JsonSerializer.Deserialize<TrainingCheckpoint>(stream, Json) ?? throw new JsonException("empty");
        }
        catch (Exception e) when (e is JsonException or FormatException or NotSupportedException)
        {
            throw new DataException(path, null, $"not a readable checkpoint ({e.Message}).");
        }
    }

    /// <summary>float[] as base64 of its little-endian bytes: a table stays a few times smaller and exact.</summary>
    sealed class FloatsAsBase64 : JsonConverter<float[]>
    {
        public override float[] Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var bytes = reader.GetBytesFromBase64();
            if (bytes.Length % 4 != 0) throw new JsonException($"a table of {bytes.Length} bytes is not float32");
            return MemoryMarshal.Cast<byte, float>(bytes).ToArray();
        }

        public override void Write(Utf8JsonWriter writer, float[] value, JsonSerializerOptions options) =>
            writer.WriteBase64StringValue(MemoryMarshal.AsBytes(value.AsSpan()));
    }
}
