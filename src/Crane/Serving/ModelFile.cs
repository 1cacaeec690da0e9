using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using Crane.Data;
using Crane.Models;
using Crane.Numerics;

namespace Crane.Serving;

/// <summary>
/// The saved-model file: one versioned file with what serving needs and nothing else — the model
/// kind, resolved settings and seed, the raw id maps, the training interactions (the seen items
/// that recommendations leave out; popularity is counted from them), the scorer's tables, and
/// the item text where the dataset has one. Written to a temporary name and renamed.
/// </summary>
/// <remarks>
/// <para>Layout (all numbers little-endian): the 8 magic bytes "CRANEMDL"; the format version
/// (int32); the JSON header's length in bytes (int32) and the header (UTF-8: kind, settings, seed,
/// dataset name, raw id maps, the scorer's form and its table names with shapes); the users then
/// the items (int32) of the training interactions; every table's values (float32, row-major, in
/// header order); and last the SHA-256 of all the bytes before it, so a corrupt or truncated file
/// is refused before anything is parsed.</para>
/// <para>An inner-product model's scorer is stored as its two tables (users, items): loading
/// reads them and computes nothing. A model that scores through a network (DGVAE) is stored as its
/// parameters and the feature tables it reads, and loading rebuilds it on the training
/// interactions. Validation and test interactions are not stored: <c>crane evaluate</c> reads them
/// from the dataset folder.</para>
/// </remarks>
public static class ModelFile
{
    /// <summary>The format version this build writes and reads.</summary>
    public const int FormatVersion = 2;

    static readonly byte[] Magic = "CRANEMDL"u8.ToArray();
    const int PrefixBytes = 16, HashBytes = 32;
    const string TablesForm = "inner-product", ParametersForm = "parameters";

    // camelCase keys; a null or missing header field is an error rather than a null later on.
    static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    /// <summary>Saves <paramref name="model"/> atomically (temporary file + rename).</summary>
    public static void Save(string path, TrainedModel model)
    {
        RequireLittleEndian();
        var (form, tables, modalities) = Contents(model);
        var header = new ModelFileHeader
        {
            Kind = model.Kind,
            Settings = new SortedDictionary<string, string>(model.Origin.Settings.ToDictionary(), StringComparer.Ordinal),
            Seed = model.Origin.Seed,
            DatasetName = model.Origin.DatasetName,
            UserIds = model.UserIds.RawIds.ToArray(),
            ItemIds = model.ItemIds.RawIds.ToArray(),
            Seen = model.Seen.NonZeros,
            Scorer = form,
            Tables = tables.Select(t => new TableHeader(t.Name, t.Table.Rows, t.Table.Cols)).ToArray(),
            Modalities = modalities.Select(t => new TableHeader(t.Name, t.Table.Rows, t.Table.Cols)).ToArray(),
            ItemText = model.ItemText?.ToArray(),
        };
        var json = JsonSerializer.SerializeToUtf8Bytes(header, Json);
        var (seenUsers, seenItems) = Coordinates(model.Seen);

        AtomicFile.Write(path, file =>
        {
            file.Write(Magic);
            WriteInt(file, FormatVersion);
            WriteInt(file, json.Length);
            file.Write(json);
            file.Write(MemoryMarshal.AsBytes(seenUsers.AsSpan()));
            file.Write(MemoryMarshal.AsBytes(seenItems.AsSpan()));
            foreach (var (_, table) in tables.Concat(modalities)) file.Write(MemoryMarshal.AsBytes(table.Data.AsSpan()));
            file.Write(HashOfPrefix(file, file.Length));
        });
    }

    /// <summary>Loads a saved model; a corrupt file or one of another format version gets a clear error.</summary>
    /// <exception cref="DataException">The file is not a Crane model, is corrupt or truncated, or comes from another format version.</exception>
    public static TrainedModel Load(string path)
    {
        RequireLittleEndian();
        if (Directory.Exists(path)) throw new DataException(path, null, "is a folder, not a model file (a run folder keeps its model in model.crane).");
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        long length = file.Length;
        var prefix = new byte[PrefixBytes];
        if (length < Magic.Length || ReadSome(file, prefix) < Magic.Length || !prefix.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            throw new DataException(path, null, "not a Crane model file (its first bytes are not \"CRANEMDL\").");
        if (length < PrefixBytes + HashBytes) throw Corrupt(path, $"only {length} bytes (truncated)");
        int version = BinaryPrimitives.ReadInt32LittleEndian(prefix.AsSpan(8));
        if (version > FormatVersion)
            throw new DataException(path, null, $"made by a newer Crane (format {version} > {FormatVersion}); update Crane to load it.");
        if (version < FormatVersion)
            throw new DataException(path, null, $"made by an older Crane (format {version}), which stored no scoring tables; train the model again to serve it.");

        var stored = new byte[HashBytes];
        file.Position = length - HashBytes;
        file.ReadExactly(stored);
        if (!HashOfPrefix(file, length - HashBytes).AsSpan().SequenceEqual(stored))
            throw Corrupt(path, "its checksum does not match (the file was changed or cut short)");

        file.Position = PrefixBytes;
        var header = ReadHeader(file, BinaryPrimitives.ReadInt32LittleEndian(prefix.AsSpan(12)), length, path);
        int users = header.UserIds.Length, items = header.ItemIds.Length;
        var seen = ReadSeen(file, header.Seen, users, items, path);
        var tables = header.Tables.ToDictionary(t => t.Name, t => ReadTable(file, t), StringComparer.Ordinal);
        var modalities = header.Modalities.ToDictionary(t => t.Name, t => ReadTable(file, t), StringComparer.Ordinal);

        IdMap userIds, itemIds;
        try { (userIds, itemIds) = (new IdMap(header.UserIds), new IdMap(header.ItemIds)); }
        catch (ArgumentException e) { throw Corrupt(path, e.Message); }
        var origin = new ModelOrigin(header.Kind, header.Settings, header.Seed, header.DatasetName);

        if (header.Scorer == TablesForm)
        {
            var scorer = new InnerProductScorer(header.Kind, Table(tables, "users", users, path), Table(tables, "items", items, path));
            return New(() => new TrainedModel(scorer, origin, userIds, itemIds, seen, header.ItemText, null), path);
        }
        var (seenUsers, seenItems) = Coordinates(seen);
        var data = new Dataset
        {
            Name = header.DatasetName, UserCount = users, ItemCount = items,
            Train = new Interactions(seenUsers, seenItems),
            Valid = new Interactions([], []), Test = new Interactions([], []),
            Modalities = modalities, ItemText = header.ItemText, UserIds = userIds, ItemIds = itemIds,
            SourceFiles = [Path.GetFullPath(path)],
        };
        Recommender model;
        try { model = ModelCatalog.Create(header.Kind, data, new ModelSettings(header.Settings), header.Seed); }
        catch (ArgumentException e) { throw new DataException(path, null, $"cannot rebuild the '{header.Kind}' model: {e.Message}"); }
        RestoreParameters(model, tables, path);
        return New(() => new TrainedModel(model.CreateScorer(), origin, userIds, itemIds, seen, header.ItemText, ModelSource.Of(model, data)), path);
    }

    /// <summary>The scorer's form, its tables and the feature tables the file must carry.</summary>
    static (string Form, (string Name, Tensor Table)[] Tables, (string Name, Tensor Table)[] Modalities) Contents(TrainedModel model)
    {
        if (model.Scorer is InnerProductScorer ips)
            return (TablesForm, [("users", ips.Users), ("items", ips.Items)], []);
        var source = model.Source ?? throw new InvalidOperationException($"Model '{model.Kind}' has a scorer of its own kind but no parameters to save it by.");
        var parameters = source.Model.Parameters;
        var names = parameters.Select(p => p.Name ?? throw new ArgumentException($"Model '{model.Kind}' has an unnamed parameter ({p}); it cannot be saved.")).ToArray();
        if (names.Distinct(StringComparer.Ordinal).Count() != names.Length)
            throw new ArgumentException($"Model '{model.Kind}' has repeated parameter names: {string.Join(", ", names)}.");
        return (ParametersForm, parameters.Select((p, k) => (names[k], p.Value)).ToArray(), source.Modalities.Select(m => (m.Key, m.Value)).ToArray());
    }

    static TrainedModel New(Func<TrainedModel> create, string path)
    {
        try { return create(); }
        catch (ArgumentException e) { throw Corrupt(path, e.Message); }
    }

    static Tensor Table(Dictionary<string, Tensor> tables, string name, int rows, string path)
    {
        if (!tables.TryGetValue(name, out var table)) throw Corrupt(path, $"the scorer's '{name}' table is missing");
        if (table.Rows != rows) throw Corrupt(path, $"the '{name}' table has {table.Rows} rows for {rows} ids");
        return table;
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
        if (header.Scorer is not (TablesForm or ParametersForm)) throw Corrupt(path, $"unknown scorer form '{header.Scorer}'");
        if (header.Seen < 0) throw Corrupt(path, $"{header.Seen} training interactions");

        long expected = PrefixBytes + jsonLength + 8L * header.Seen + HashBytes;
        foreach (var t in header.Tables.Concat(header.Modalities))
        {
            if (t.Rows < 0 || t.Cols < 0) throw Corrupt(path, $"table '{t.Name}' has shape {t.Rows}×{t.Cols}");
            expected += 4L * t.Rows * t.Cols;
        }
        if (expected != length) throw Corrupt(path, $"{length} bytes where the header describes {expected}");
        return header;
    }

    static CsrMatrix ReadSeen(FileStream file, int count, int users, int items, string path)
    {
        var (u, i) = (new int[count], new int[count]);
        file.ReadExactly(MemoryMarshal.AsBytes(u.AsSpan()));
        file.ReadExactly(MemoryMarshal.AsBytes(i.AsSpan()));
        for (int k = 0; k < count; k++)
            if ((uint)u[k] >= (uint)users || (uint)i[k] >= (uint)items)
                throw Corrupt(path, $"interaction ({u[k]}, {i[k]}) is outside {users} users × {items} items");
        var ones = new float[count];
        Array.Fill(ones, 1f);
        return CsrMatrix.FromCoo(users, items, u, i, ones);
    }

    /// <summary>The (user, item) pairs of a binary matrix, row by row.</summary>
    static (int[] Users, int[] Items) Coordinates(CsrMatrix matrix)
    {
        var users = new int[matrix.NonZeros];
        for (int r = 0; r < matrix.Rows; r++) users.AsSpan(matrix.RowPtr[r], matrix.RowPtr[r + 1] - matrix.RowPtr[r]).Fill(r);
        return (users, matrix.ColIdx.ToArray());
    }

    static Tensor ReadTable(FileStream file, TableHeader t)
    {
        var table = new Tensor(t.Rows, t.Cols);
        file.ReadExactly(MemoryMarshal.AsBytes(table.Data.AsSpan()));
        return table;
    }

    /// <summary>Overwrites the rebuilt model's parameters by name; names and shapes must match exactly.</summary>
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
    public required string DatasetName { get; init; }
    public required string[] UserIds { get; init; }
    public required string[] ItemIds { get; init; }
    /// <summary>How many training interactions follow the header.</summary>
    public required int Seen { get; init; }
    /// <summary>"inner-product" (tables users, items) or "parameters" (the model's parameters, rebuilt on load).</summary>
    public required string Scorer { get; init; }
    public required TableHeader[] Tables { get; init; }
    /// <summary>The feature tables a "parameters" scorer's model reads; empty otherwise.</summary>
    public required TableHeader[] Modalities { get; init; }
    /// <summary>Each item's text, where the dataset had it.</summary>
    public string[]? ItemText { get; init; }
}

/// <summary>A named float32 table's shape.</summary>
internal sealed record TableHeader(string Name, int Rows, int Cols);
