using System.Text.Json;
using Crane.Featurize;

namespace Crane.Tests.Featurize;

/// <summary>The in-process all-MiniLM-L6-v2 against Python's sentence-transformers on the same texts.</summary>
public sealed class MiniLmTextEncoderTests : IClassFixture<MiniLmTextEncoderTests.Encoder>
{
    /// <summary>One encoder for the class: loading the model takes a second.</summary>
    public sealed class Encoder : IDisposable
    {
        public MiniLmTextEncoder Model { get; } = new();
        public void Dispose() => Model.Dispose();
    }

    readonly MiniLmTextEncoder _encoder;

    public MiniLmTextEncoderTests(Encoder fixture) => _encoder = fixture.Model;

    [SharedDataFact("data/minilm-reference/pairs.jsonl")]
    public void Every_reference_text_reaches_cosine_0_9999_with_sentence_transformers()
    {
        var pairs = File.ReadLines(SharedFiles.Find("data/minilm-reference/pairs.jsonl")!).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        var texts = pairs.Select(p => p.GetProperty("text").GetString()!).ToArray();
        var table = _encoder.Encode(texts);

        int truncated = 0;
        for (int r = 0; r < pairs.Length; r++)
        {
            var reference = pairs[r].GetProperty("embedding").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            var ours = table.Row(r).ToArray();
            double dot = 0, a = 0, b = 0;
            for (int d = 0; d < MiniLmTextEncoder.Dimension; d++) (dot, a, b) = (dot + ours[d] * reference[d], a + ours[d] * (double)ours[d], b + reference[d] * reference[d]);
            Assert.True(dot / Math.Sqrt(a * b) >= 0.9999, $"text {r}: cosine {dot / Math.Sqrt(a * b):F6}");
            if (_encoder.TokenIds(texts[r]).Length == MiniLmTextEncoder.MaxTokens) truncated++;
        }
        Assert.Equal(38, pairs.Length);
        Assert.True(truncated >= 2, $"{truncated} texts reach the 256-token cut; the reference has two that run past it");
    }

    [Fact]
    public void Ascii_symbols_are_tokens_of_their_own_and_long_texts_are_cut_at_256()
    {
        var ids = _encoder.TokenIds("<3, heavy metal");
        Assert.Equal(7, ids.Length); // [CLS] < 3 , heavy metal [SEP]
        Assert.NotEqual(ids[1], ids[2]);
        var cut = _encoder.TokenIds(string.Join(" ", Enumerable.Repeat("metal", 1000)));
        Assert.Equal(MiniLmTextEncoder.MaxTokens, cut.Length);
        Assert.Equal(1.0, Math.Sqrt(_encoder.Encode("synthwave, retro, 80s").Sum(x => (double)x * x)), 1e-5);
    }
}
