using Crane.Experiments;
using Crane.Models;
using Crane.Numerics;
using Crane.Tests.Evaluation;
using Crane.Tests.Models;

namespace Crane.Tests.Experiments;

public class RepresentationsTests
{
    [Theory]
    [InlineData("bpr")]
    [InlineData("lightgcn")]
    [InlineData("crane")]
    [InlineData("freedom")]
    [InlineData("crane-released")]
    public void The_tables_inner_products_are_the_models_scores(string name)
    {
        var settings = name is "freedom" or "crane-released"
            ? new ModelSettings(new Dictionary<string, string> { ["modalities"] = "image,audio", ["knn_k"] = "2" })
            : new ModelSettings(new Dictionary<string, string> { ["embedding_size"] = "8" });
        var model = ModelCatalog.Create(name, ModalData.Create(), settings, 5);
        ModelTestKit.Train(model);
        int[] users = [0, 1, 2, 3];

        var scorer = Assert.IsType<InnerProductScorer>(model.CreateScorer());
        var scores = ModelTestKit.ScoreAll(scorer, users, 6);

        Assert.Equal((4, 6), (scorer.UserCount, scorer.ItemCount));
        foreach (int u in users)
            for (int i = 0; i < 6; i++)
                Assert.Equal(ModelTestKit.Dot(scorer.UserVector(u).ToArray(), scorer.ItemVector(i).ToArray()), scores.Row(u)[i], 1e-5 * Math.Max(1, Math.Abs(scores.Row(u)[i])));
    }

    [Fact]
    public void A_model_without_tables_says_so()
    {
        var e = Assert.Throws<NotSupportedException>(() => EmbeddingMap.Compute(new FixedScoresModel(new Tensor(2, 2)).CreateScorer(), 10, new TsneOptions()));
        Assert.Contains("'fixed'", e.Message);
    }

    [Fact]
    public void The_map_samples_each_kind_without_replacement_and_lays_out_all_of_them()
    {
        var model = new Bpr(Crane.Data.SyntheticGenerator.Generate(Crane.Data.SyntheticOptions.Tiny), new ModelSettings(new Dictionary<string, string> { ["embedding_size"] = "8" }), 1);

        var map = EmbeddingMap.Compute(model.CreateScorer(), 40, new TsneOptions(Perplexity: 10, Iterations: 50));

        Assert.Equal(40, map.Users.Distinct().Count());
        Assert.Equal(40, map.Items.Distinct().Count());
        Assert.True(map.Users.Max() < 300 && map.Items.Max() < 200);
        Assert.Equal(2 * 80, map.Layout.Length);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, EmbeddingMap.Png(map, "t")[..4]);
    }
}
