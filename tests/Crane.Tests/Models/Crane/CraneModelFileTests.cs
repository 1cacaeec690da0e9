using Crane.Models;
using static Crane.Tests.Models.ModelTestKit;

namespace Crane.Tests.Models;

public sealed class CraneModelFileTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("crane-cranefile-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("attention_scope=tokens")]
    [InlineData("attention_scope=neighbors", "aggregation=attention")]
    public void A_saved_model_reloads_to_identical_scores_with_its_modalities(params string[] extra)
    {
        var data = CraneData.Create();
        var settings = ModelSettings.Parse(["embedding_size=4", "knn_k=2", .. extra]);
        var model = ModelCatalog.Create("crane", data, settings, 42);
        Train(model);
        var path = Path.Combine(_dir, "crane.crane");
        ModelFile.Save(path, model, data, settings.Resolved, 42);
        model.PrepareForScoring();
        var before = ScoreAll(model, [0, 1, 2, 3], 6);

        var loaded = ModelFile.Load(path);
        Assert.Equal(["image", "text"], loaded.Data.Modalities.Keys.Order());
        Assert.Equal(data.Modalities["image"].Data, loaded.Data.Modalities["image"].Data);
        Assert.Equal(before.Data, ScoreAll(loaded.Model, [0, 1, 2, 3], 6).Data);
    }
}
