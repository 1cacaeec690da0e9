using Crane.Models;
using Crane.Numerics;
using Crane.Tests.Autograd;
using static Crane.Tests.Models.ModelTestKit;
using Crane.Serving;

namespace Crane.Tests.Models;

public sealed class CraneReleasedTests : IDisposable
{
    const int Users = 4, Items = 6;
    static readonly string[] Small = ["embedding_size=4", "n_heads=2", "knn_k=3", "modalities=image,audio"];

    readonly string _dir = Directory.CreateTempSubdirectory("crane-released-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    static CraneReleased Create(params string[] settings) => new(ModalData.Create(), ModelSettings.Parse([.. Small, .. settings]), 7);

    static Tensor Scores(Recommender model)
    {
        return ScoreAll(model, [0, 1, 2, 3], Items);
    }

    [Fact]
    public void Defaults_are_resolved_and_named_as_in_mmrec()
    {
        var settings = ModelSettings.Parse(["modalities=image,audio", "knn_k=3"]);
        var model = new CraneReleased(ModalData.Create(), settings, 7);
        Assert.Equal("items", settings.Resolved["attention_axis"]);
        Assert.Equal(("64", "4", "0.8", "0.1,0.9", "2", "1"), (settings.Resolved["embedding_size"], settings.Resolved["n_heads"],
            settings.Resolved["dropout"], settings.Resolved["modality_weights"], settings.Resolved["n_ui_layers"], settings.Resolved["n_mm_layers"]));
        Assert.Equal(["image", "audio"], model.UsedModalities);
        Assert.Equal(ModalData.Create().Modalities["image"].Data, Parameter(model, "feature.image").Value.Data);
    }

    [Theory]
    [InlineData("items")]
    [InlineData("modalities")]
    public void Loss_gradient_matches_finite_differences(string axis)
    {
        var model = Create($"attention_axis={axis}", "dropout=0.5");
        Randomise(model, 93);
        model.BeginEpoch(0, new Rng(3)); // a pruned training graph, fixed during the check
        GradCheck.CheckParameters(() => model.Loss(Batch), model.Parameters);
    }

    [Theory]
    [InlineData("items")]
    [InlineData("modalities")]
    public void Scores_match_a_dense_double_reference_of_the_spec(string axis)
    {
        var model = Create($"attention_axis={axis}");
        Randomise(model, 96);
        var (users, items) = CraneReleasedReference.Tables(model, ModalData.Create(), ["image", "audio"], heads: 2, itemsAxis: axis == "items", k: 3);
        Reference.AssertClose(Scores(model), Users, Items, (u, i) => Enumerable.Range(0, 4).Sum(c => users[u, c] * items[i, c]), 1e-4);
    }

    [Fact]
    public void The_two_attention_axes_give_different_finite_scores()
    {
        var items = Scores(Create("attention_axis=items"));
        var modalities = Scores(Create("attention_axis=modalities"));
        Assert.All(items.Data, v => Assert.True(float.IsFinite(v)));
        Assert.All(modalities.Data, v => Assert.True(float.IsFinite(v)));
        Assert.NotEqual(items.Data, modalities.Data);
    }

    [Fact]
    public void Training_uses_the_pruned_graph_and_scoring_the_full_one()
    {
        var model = Create("dropout=0.5");
        Train(model);
        var before = Scores(model);
        double full = LossValue(model);
        model.BeginEpoch(1, new Rng(4));
        Assert.NotEqual(full, LossValue(model));
        Assert.Equal(before.Data, Scores(model).Data);
    }

    [Theory]
    [InlineData("items")]
    [InlineData("modalities")]
    public void Save_then_load_gives_identical_scores(string axis)
    {
        var data = ModalData.Create();
        var settings = ModelSettings.Parse([.. Small, $"attention_axis={axis}"]);
        var model = new CraneReleased(data, settings, 42);
        Train(model);
        var path = Path.Combine(_dir, $"{axis}.crane");
        TrainedModel.From(model, data, settings.Resolved, 42).Save(path);
        var loaded = TrainedModel.Load(path);
        Assert.Equal(Scores(model).Data, ScoreAll(loaded.Scorer, [0, 1, 2, 3], 6).Data);
    }

    [Theory]
    [InlineData(new[] { "knn_k=3" }, "image, text", "image, audio")] // the spec's default pair is absent on TikTok-like data
    [InlineData(new[] { "knn_k=3", "modalities=image,audio", "modality_weights=1" }, "modality_weights=1")]
    [InlineData(new[] { "modalities=image,audio", "attention_axis=tokens" }, "attention_axis")]
    [InlineData(new[] { "modalities=image,audio", "knn_k=3", "n_heads=3" }, "n_heads=3")]
    public void Bad_settings_are_rejected_by_name(string[] settings, params string[] fragments) =>
        Reference.AssertRejected<ArgumentException>(() => new CraneReleased(ModalData.Create(), ModelSettings.Parse(settings), 7), fragments);
}
