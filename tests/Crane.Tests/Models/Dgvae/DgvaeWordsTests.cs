using Crane.Data;
using Crane.Models;
using Crane.Numerics;

namespace Crane.Tests.Models;

public class DgvaeWordsTests
{
    /// <summary><see cref="ModalData"/> with item text (item 5 has none).</summary>
    internal static Dataset WithText()
    {
        var data = ModalData.Create();
        return new Dataset
        {
            Name = data.Name, UserCount = data.UserCount, ItemCount = data.ItemCount,
            Train = data.Train, Valid = data.Valid, Test = data.Test,
            UserIds = data.UserIds, ItemIds = data.ItemIds, Modalities = data.Modalities,
            ItemText = ["Red red shoe", "blue Shoe", "red hat", "green", "blue, hat!", ""],
        };
    }

    [Fact]
    public void Tokens_are_lower_cased_runs_of_letters_and_digits() =>
        Assert.Equal(["blue", "hat", "x2"], DgvaeWords.Tokenize("  Blue, HAT!x2"));

    [Fact]
    public void Text_rows_are_tf_idf_over_the_words_of_the_users_distinct_training_items()
    {
        // Vocabulary (ordinal): blue 0, green 1, hat 2, red 3, shoe 4. Training items (distinct):
        // user 0 {0, 1, 2}, user 1 {1, 3}, user 2 {0, 4}, user 3 {2}.
        // Counts: u0 blue 1, hat 1, red 3, shoe 2; u1 blue 1, green 1, shoe 1; u2 blue 1, hat 1, red 2, shoe 1; u3 hat 1, red 1.
        // df: blue 3, green 1, hat 3, red 3, shoe 3; idf = ln(5 / (1 + df)) + 1 with M = 4.
        var words = DgvaeWords.FromText(WithText());
        Assert.Equal(5, words.Count);
        Assert.StartsWith("text: item_text.tsv, 5 words", words.Source);
        double Idf(int df) => Math.Log(5.0 / (1 + df)) + 1;
        double[][] expected =
        [
            [Idf(3), 0, Idf(3), 3 * Idf(3), 2 * Idf(3)],
            [Idf(3), Idf(1), 0, 0, Idf(3)],
            [Idf(3), 0, Idf(3), 2 * Idf(3), Idf(3)],
            [0, 0, Idf(3), Idf(3), 0],
        ];
        var rows = words.Rows([0, 1, 2, 3]);
        for (int u = 0; u < 4; u++)
            for (int w = 0; w < 5; w++) Assert.Equal(expected[u][w], rows[u, w], 5);
        Assert.Equal(rows.Row(2).ToArray(), words.Rows([2]).Row(0).ToArray());
    }

    [Fact]
    public void Pseudo_words_are_one_k_means_code_per_modality()
    {
        var data = ModalData.Create();
        var features = new[] { data.Modalities["image"], data.Modalities["audio"] };
        var words = DgvaeWords.FromCodes(data, ["image", "audio"], features, 3, 10, 9);
        Assert.Equal(6, words.Count);
        // User 3 has one training item (2): one word in [0, 3) and one in [3, 6), each with tf 1.
        var row = words.Rows([3]).Row(0).ToArray();
        Assert.Equal(1, row[..3].Count(v => v > 0));
        Assert.Equal(1, row[3..].Count(v => v > 0));
        // The codes are KMeans.Codes of each table with the model's named stream.
        int image = KMeans.Codes(features[0], 3, 10, Rng.ForStream(9, "dgvae.kmeans.image"))[2];
        Assert.True(row[image] > 0);
        // Codes are capped at the item count.
        Assert.Equal(12, DgvaeWords.FromCodes(data, ["image", "audio"], features, 256, 10, 9).Count);
    }
}
