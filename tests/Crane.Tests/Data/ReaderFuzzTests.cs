using System.Security.Cryptography;
using Crane.Data;
using Crane.Models;
using Crane.Serving;
using Crane.Tests.Models;
using CsCheck;

namespace Crane.Tests.Data;

/// <summary>
/// Thousands of randomly mutated inputs (bytes flipped, inserted, deleted, cut, chunks repeated,
/// structural characters planted) thrown at every reader: each must load or raise the project's
/// <see cref="DataException"/>, never another exception and never a hang. CsCheck prints the seed
/// of a failing input, which replays it.
/// </summary>
public sealed class ReaderFuzzTests : IDisposable
{
    /// <summary>Mutated inputs per reader and run (a few seconds each).</summary>
    const int Iterations = 1500;

    readonly string _root = Directory.CreateTempSubdirectory("crane-fuzz-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>One edit of a file's bytes; <see cref="Position"/> is a fraction of its length.</summary>
    public readonly record struct Mutation(int Kind, double Position, byte Value);

    static readonly byte[] Planted = "\t\n\r\",- 9.e\0"u8.ToArray();

    static readonly Gen<Mutation[]> Mutations =
        Gen.Select(Gen.Int[0, 5], Gen.Double[0.0, 1.0], Gen.Byte, (kind, position, value) => new Mutation(kind, position, value)).Array[1, 6];

    static byte[] Apply(byte[] original, Mutation[] mutations)
    {
        var bytes = new List<byte>(original);
        foreach (var m in mutations)
        {
            int at = Math.Min(bytes.Count, (int)(m.Position * bytes.Count));
            switch (m.Kind)
            {
                case 0 when at < bytes.Count: bytes[at] ^= (byte)(m.Value | 1); break;
                case 1: bytes.Insert(at, m.Value); break;
                case 2 when at < bytes.Count: bytes.RemoveAt(at); break;
                case 3: bytes.RemoveRange(at, bytes.Count - at); break;
                case 4: bytes.InsertRange(at, bytes.Skip(at).Take(1 + m.Value % 16).ToArray()); break;
                case 5 when at < bytes.Count: bytes[at] = Planted[m.Value % Planted.Length]; break;
            }
        }
        return [.. bytes];
    }

    /// <summary>Runs <paramref name="read"/> on each mutated input: a <see cref="DataException"/> or success, within 10 s.</summary>
    static void Fuzz(byte[] original, string path, Action read, Func<byte[], byte[]>? fix = null) =>
        Mutations.Sample(mutations =>
        {
            File.WriteAllBytes(path, (fix ?? (b => b))(Apply(original, mutations)));
            var run = Task.Run(() =>
            {
                try { read(); }
                catch (DataException) { }
            });
            Assert.True(run.Wait(TimeSpan.FromSeconds(10)), "the reader hung");
        }, iter: Iterations, threads: 1);

    string DatasetFolder()
    {
        string folder = Path.Combine(_root, "data");
        var data = TinyData.Create();
        var features = new Tensor(data.ItemCount, 3);
        new Crane.Numerics.Rng(1).FillNormal(features.Data, 0f, 1f);
        DatasetWriter.Write(new Dataset
        {
            Name = data.Name, UserCount = data.UserCount, ItemCount = data.ItemCount, Train = data.Train, Valid = data.Valid, Test = data.Test,
            UserIds = data.UserIds, ItemIds = data.ItemIds, Modalities = new Dictionary<string, Tensor> { ["image"] = features },
            ItemText = Enumerable.Range(0, data.ItemCount).Select(i => $"item {i}, \"quoted\"").ToArray(),
        }, folder);
        return folder;
    }

    [Theory]
    [InlineData("tiny.inter")]
    [InlineData(IdMapFile.UserFile)]
    [InlineData(IdMapFile.ItemFile)]
    [InlineData("image_feat.npy")]
    [InlineData(ItemTextFile.FileName)]
    public void A_mutated_dataset_file_loads_or_is_a_data_error(string file)
    {
        string folder = DatasetFolder(), path = Path.Combine(folder, file);
        Fuzz(File.ReadAllBytes(path), path, () => DatasetReader.Load(folder));
    }

    [Fact]
    public void A_mutated_raw_interactions_csv_prepares_or_is_a_data_error()
    {
        string path = Path.Combine(_root, "raw.csv");
        var rows = Enumerable.Range(0, 30).Select(n => $"\"u{n % 7}, Jr.\",i{n % 5},{1 + n % 5},{1000 + n}");
        var original = System.Text.Encoding.UTF8.GetBytes("user_id,item_id,rating,timestamp\n" + string.Join("\n", rows) + "\n");
        Fuzz(original, path, () => DatasetPreparer.Prepare(new PrepareOptions { InteractionsFile = path, MinRating = 2, KCore = 2 }));
    }

    [Theory]
    [InlineData("lightgcn", false)]
    [InlineData("lightgcn", true)]
    [InlineData("dgvae", true)]
    public void A_mutated_model_file_loads_or_is_a_data_error(string kind, bool rehash)
    {
        var data = ModalData.Create();
        string[] settings = kind == "dgvae" ? ["embedding_size=4", "knn_k=2", "word_codes=3", "modalities=image,audio", "modality_weights=0.04,0.96"] : ["embedding_size=4"];
        var model = ModelCatalog.Create(kind, data, ModelSettings.Parse(settings), 1);
        string path = Path.Combine(_root, "model.crane");
        TrainedModel.From(model, data, ModelSettings.Parse(settings).Resolved, 1).Save(path);
        // With the checksum recomputed, the mutation reaches the header and table parsing behind it.
        Fuzz(File.ReadAllBytes(path), path, () => TrainedModel.Load(path), rehash ? WithChecksum : null);
    }

    static byte[] WithChecksum(byte[] bytes)
    {
        if (bytes.Length < 48) return bytes;
        SHA256.HashData(bytes.AsSpan(0, bytes.Length - 32)).CopyTo(bytes, bytes.Length - 32);
        return bytes;
    }
}
