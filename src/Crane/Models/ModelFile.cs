using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using Crane.Data;
using Crane.Numerics;

namespace Crane.Models;

/// <summary>A model loaded from a file, with the data it was trained on and its settings.</summary>
/// <param name="Model">The model, ready to score.</param>
/// <param name="Data">The dataset stored in the file (interactions of every split, id maps, the modalities the model uses).</param>
/// <param name="Settings">The model's fully resolved settings.</param>
/// <param name="Seed">The seed it was trained with.</param>
public sealed record LoadedModel(Recommender Model, Dataset Data, IReadOnlyDictionary<string, string> Settings, ulong Seed);

/// <summary>
/// The saved-model file: one versioned file with the model kind, resolved settings, parameters and
/// the dataset pieces scoring needs (id maps, interactions). Written to a temporary name and renamed.
/// </summary>
/// <remarks>
/// Layout (all numbers little-endian): the 8 magic bytes "CRANEMDL"; the format version (int32);
/// the JSON header's length in bytes (int32) and the header (UTF-8: kind, settings, seed, dataset
/// name and counts, raw id maps, parameter and modality names with shapes); the users then the
/// items (int32) of the train, valid and test splits; every parameter's values (float32,
/// row-major, in header order); every carried modality's values; and last the SHA-256 of all the
/// bytes before it, so a corrupt or truncated file is refused before anything is parsed.
/// </remarks>
public static class ModelFile
{
    /// <summary>The format version this build writes; files from a newer version are refused.</summary>
    public const int FormatVersion = 1;

    static readonly byte[] Magic = "CRANEMDL"u8.ToArray();
    const int PrefixBytes = 16, HashBytes = 32;

    // camelCase keys; a null or missing header field is an error rather than a null later on.
    static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    /// <summary>Saves atomically (temporary file + rename).</summary>
    public static void Save(string path, Recommender model, Dataset data, IReadOnlyDictionary<string, string> settings, ulong seed)
    {
        RequireLittleEndian();
        var parameters = model.Parameters;
        var names = parameters.Select(p => p.Name ?? throw new ArgumentException($"Model '{model.Kind}' has an unnamed parameter ({p}); it cannot be saved.")).ToArray();
        if (names.Distinct(StringComparer.Ordinal).Count() != names.Length)
            throw new ArgumentException($"Model '{model.Kind}' has repeated parameter names: {string.Join(", ", names)}.");
        var modalities = model.UsedModalities.Select(m => (Name: m, Table: data.Modalities.TryGetValue(m, out var t) ? t
            : throw new ArgumentException($"Model '{model.Kind}' uses modality '{m}', which the dataset lacks."))).ToArray();

        var header = new ModelFileHeader
        {
            Kind = model.Kind,
            Settings = new SortedDictionary<string, string>(settings.ToDictionary(), StringComparer.Ordinal),
            Seed = seed,
            Dataset = new DatasetHeader(data.Name, data.UserCount, data.ItemCount, data.Train.Count, data.Valid.Count, data.Test.Count),
            UserIds = data.UserIds.RawIds.ToArray(),
            ItemIds = data.ItemIds.RawIds.ToArray(),
            Parameters = parameters.Select((p, k) => new TableHeader(names[k], p.Rows, p.Cols)).ToArray(),
            Modalities = modalities.Select(m => new TableHeader(m.Name, m.Table.Rows, m.Table.Cols)).ToArray(),
            ItemText = model.UsesItemText ? data.ItemText?.ToArray() : null,
        };
        var json = JsonSerializer.SerializeToUtf8Bytes(header, Json);

        AtomicFile.Write(path, file =>
        {
            file.Write(Magic);
            WriteInt(file, FormatVersion);
            WriteInt(file, json.Length);
            file.Write(json);
            foreach (var split in new[] { data.Train, data.Valid, data.Test })
            {
                file.Write(MemoryMarshal.AsBytes(split.Users.AsSpan()));
                file.Write(MemoryMarshal.AsBytes(split.Items.AsSpan()));
            }
            foreach (var p in parameters) file.Write(MemoryMarshal.AsBytes(p.Value.Data.AsSpan()));
            foreach (var m in modalities) file.Write(MemoryMarshal.AsBytes(m.Table.Data.AsSpan()));
            file.Write(HashOfPrefix(file, file.Length));
        });
    }

    /// <summary>Loads a model; a corrupt file or one from a newer format gets a clear error.</summary>
    /// <exception cref="DataException">The file is not a Crane model, is corrupt or truncated, or comes from a newer format.</exception>
    public static LoadedModel Load(string path)
    {
        RequireLittleEndian();
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        long length = file.Length;
        var prefix = new byte[PrefixBytes];
        if (length < Magic.Length || ReadSome(file, prefix) < Magic.Length || !prefix.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            throw new DataException(path, null, "not a Crane model file (its first bytes are not \"CRANEMDL\").");
        if (length < PrefixBytes + HashBytes) throw Corrupt(path, $"only {length} bytes (truncated)");
        int version = BinaryPrimitives.ReadInt32LittleEndian(prefix.AsSpan(8));
        if (version > FormatVersion)
            throw new DataException(path, null, $"made by a newer Crane (format {version} > {FormatVersion}); update Crane to load it.");
        if (version < 1) throw Corrupt(path, $"format version {version}");

        var stored = new byte[HashBytes];
        file.Position = length - HashBytes;
        file.ReadExactly(stored);
        if (!HashOfPrefix(file, length - HashBytes).AsSpan().SequenceEqual(stored))
            throw Corrupt(path, "its checksum does not match (the file was changed or cut short)");

        file.Position = PrefixBytes;
        var header = ReadHeader(file, BinaryPrimitives.ReadInt32LittleEndian(prefix.AsSpan(12)), length, path);
        var ds = header.Dataset;
        var (train, valid, test) = (ReadSplit(file, ds.Train, ds, path), ReadSplit(file, ds.Valid, ds, path), ReadSplit(file, ds.Test, ds, path));
        var parameters = header.Parameters.ToDictionary(t => t.Name, t => ReadTable(file, t), StringComparer.Ordinal);
        var modalities = header.Modalities.ToDictionary(t => t.Name, t => ReadTable(file, t), StringComparer.Ordinal);

        Dataset data;
        try
        {
            data = new Dataset
            {
                Name = ds.Name, UserCount = ds.Users, ItemCount = ds.Items,
                Train = train, Valid = valid, Test = test, Modalities = modalities, ItemText = header.ItemText,
                UserIds = new IdMap(header.UserIds), ItemIds = new IdMap(header.ItemIds),
                SourceFiles = [Path.GetFullPath(path)],
            };
        }
        catch (ArgumentException e) { throw Corrupt(path, e.Message); }

        Recommender model;
        try { model = ModelCatalog.Create(header.Kind, data, new ModelSettings(header.Settings), header.Seed); }
        catch (ArgumentException e) { throw new DataException(path, null, $"cannot rebuild the '{header.Kind}' model: {e.Message}"); }
        RestoreParameters(model, parameters, path);
        model.PrepareForScoring();
        return new LoadedModel(model, data, header.Settings, header.Seed);
    }

    static ModelFileHeader ReadHeader(FileStream file, int jsonLength, long length, string path)
    {
        if (jsonLength <= 0 || jsonLength > length - PrefixBytes - HashBytes) throw Corrupt(path, $"header length {jsonLength}");
        var json = new byte[jsonLength];
        file.ReadExactly(json);
        ModelFileHeader? header;
        try { header = JsonSerializer.Deserialize<ModelFileHeader>(json, Json); }
        catch (JsonException e) { throw Corrupt(path, $"unreadable header ({e.Message})"); }
        if (header is null) throw Corrupt(path, "empty header");

        var ds = header.Dataset;
        if (ds.Users < 0 || ds.Items < 0 || ds.Train < 0 || ds.Valid < 0 || ds.Test < 0 || header.UserIds.Length != ds.Users || header.ItemIds.Length != ds.Items)
            throw Corrupt(path, $"inconsistent dataset counts in the header ({ds})");
        long expected = PrefixBytes + jsonLength + 8L * ((long)ds.Train + ds.Valid + ds.Test) + HashBytes;
        foreach (var t in header.Parameters.Concat(header.Modalities))
        {
            if (t.Rows < 0 || t.Cols < 0) throw Corrupt(path, $"table '{t.Name}' has shape {t.Rows}×{t.Cols}");
            expected += 4L * t.Rows * t.Cols;
        }
        if (expected != length) throw Corrupt(path, $"{length} bytes where the header describes {expected}");
        return header;
    }

    static Interactions ReadSplit(FileStream file, int count, DatasetHeader ds, string path)
    {
        var users = new int[count];
        var items = new int[count];
        file.ReadExactly(MemoryMarshal.AsBytes(users.AsSpan()));
        file.ReadExactly(MemoryMarshal.AsBytes(items.AsSpan()));
        for (int k = 0; k < count; k++)
            if ((uint)users[k] >= (uint)ds.Users || (uint)items[k] >= (uint)ds.Items)
                throw Corrupt(path, $"interaction ({users[k]}, {items[k]}) is outside {ds.Users} users × {ds.Items} items");
        return new Interactions(users, items);
    }

    static Tensor ReadTable(FileStream file, TableHeader t)
    {
        var table = new Tensor(t.Rows, t.Cols);
        file.ReadExactly(MemoryMarshal.AsBytes(table.Data.AsSpan()));
        return table;
    }

    /// <summary>Overwrites the freshly built model's parameters by name; names and shapes must match exactly.</summary>
    static void RestoreParameters(Recommender model, Dictionary<string, Tensor> saved, string path)
    {
        var expected = model.Parameters.Select(p => p.Name!).ToHashSet(StringComparer.Ordinal);
        foreach (var name in saved.Keys)
            if (!expected.Contains(name)) throw Corrupt(path, $"parameter '{name}' does not belong to a '{model.Kind}' model");
        foreach (var p in model.Parameters)
        {
            if (!saved.TryGetValue(p.Name!, out var t)) throw Corrupt(path, $"parameter '{p.Name}' of the '{model.Kind}' model is missing");
            if (!t.SameShape(p.Value)) throw Corrupt(path, $"parameter '{p.Name}' is {t.ShapeText} but the model needs {p.Value.ShapeText}");
            t.Data.CopyTo(p.Value.Data, 0);
        }
    }

    /// <summary>SHA-256 of the file's first <paramref name="count"/> bytes.</summary>
    static byte[] HashOfPrefix(Stream file, long count)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 20];
        file.Position = 0;
        for (long left = count; left > 0;)
        {
            int n = file.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
            if (n == 0) throw new EndOfStreamException();
            hash.AppendData(buffer, 0, n);
            left -= n;
        }
        return hash.GetHashAndReset();
    }

    static int ReadSome(Stream file, byte[] buffer) => file.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);

    static void WriteInt(Stream file, int value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
        file.Write(bytes);
    }

    static DataException Corrupt(string path, string problem) => new(path, null, $"corrupt Crane model file: {problem}.");

    static void RequireLittleEndian()
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("Model files are little-endian; this machine is not.");
    }
}

/// <summary>The JSON header of a model file.</summary>
internal sealed class ModelFileHeader
{
    public required string Kind { get; init; }
    public required SortedDictionary<string, string> Settings { get; init; }
    public required ulong Seed { get; init; }
    public required DatasetHeader Dataset { get; init; }
    public required string[] UserIds { get; init; }
    public required string[] ItemIds { get; init; }
    public required TableHeader[] Parameters { get; init; }
    public required TableHeader[] Modalities { get; init; }
    /// <summary>The item text, when the model reads it (<see cref="Recommender.UsesItemText"/>).</summary>
    public string[]? ItemText { get; init; }
}

/// <summary>The dataset's name and counts (users, items, and interactions per split).</summary>
internal sealed record DatasetHeader(string Name, int Users, int Items, int Train, int Valid, int Test);

/// <summary>A named float32 table's shape.</summary>
internal sealed record TableHeader(string Name, int Rows, int Cols);
