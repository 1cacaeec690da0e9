using Crane.Models;
using Crane.Serving;
using static Crane.Tests.Models.ModelTestKit;

namespace Crane.Tests.Models;

public sealed class CraneModelFileTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("crane-cranefile-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("attention_scope=tokens")]
    [InlineData("attention_scope=neighbors", "aggregation=attention")]
    public void A_saved_model_reloads_to_identical_scores_without_its_features(params string[] extra)
    {
        var data = CraneData.Create();
        var settings = ModelSettings.Parse(["embedding_size=4", "knn_k=2", .. extra]);
        var model = ModelCatalog.Create("crane", data, settings, 42);
        Train(model);
        var path = Path.Combine(_dir, "crane.crane");
        TrainedModel.From(model, data, settings.Resolved, 42).Save(path);
        var before = ScoreAll(model, [0, 1, 2, 3], 6);

        var loaded = TrainedModel.Load(path);
        Assert.Equal(before.Data, ScoreAll(loaded.Scorer, [0, 1, 2, 3], 6).Data);
    }
}
