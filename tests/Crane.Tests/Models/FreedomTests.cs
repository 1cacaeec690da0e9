using Crane.Graphs;
using Crane.Models;
using Crane.Numerics;
using Crane.Tests.Autograd;
using Crane.Tests.Graphs;
using static Crane.Tests.Models.ModelTestKit;

namespace Crane.Tests.Models;

public class FreedomTests
{
    const int Users = 4, Items = 6;

    static Freedom Create(params string[] settings) =>
        new(ModalData.Create(), ModelSettings.Parse(["embedding_size=3", "knn_k=3", "modalities=image,audio", .. settings]), 7);

    [Theory]
    [InlineData("dropout=0")]
    [InlineData("dropout=0.5")]
    public void Loss_gradient_matches_finite_differences(string dropout)
    {
        var model = Create("reg_weight=0.5", dropout);
        Randomise(model, 94);
        model.BeginEpoch(0, new Rng(5));
        GradCheck.CheckParameters(() => model.Loss(Batch), model.Parameters);
    }

    [Fact]
    public void Loss_is_bpr_on_id_items_plus_lambda_times_bpr_on_each_projected_modality()
    {
        // Reference in double from dense matrices: ē = layer mean on Â (2 layers), h = S·E_I with
        // S = 0.1·S_image + 0.9·S_audio, f_m(x) = x·W_m + b_m.
        var model = Create("reg_weight=0.5", "dropout=0");
        Randomise(model, 95);
        var data = ModalData.Create();
        var e0 = Parameter(model, "embedding").Value;
        var mean = PropagationTests.DenseLayerMean(UserItemGraphTests.DenseReference(Users, Items, TinyData.TrainPairs), e0, 2);
        var s = UserItemGraphTests.Dense(FeatureItemGraph.Mixed([(data.Modalities["image"], 0.1f), (data.Modalities["audio"], 0.9f)], 3));
        float[] User(int u) => Enumerable.Range(0, 3).Select(c => (float)mean[u, c]).ToArray();
        float[] Item(int i) => Enumerable.Range(0, 3).Select(c => (float)(mean[Users + i, c]
            + Enumerable.Range(0, Items).Sum(j => s[i, j] * e0[Users + j, c]))).ToArray();
        Func<int, float[]> Content(string m) => i =>
        {
            var (x, w, b) = (Parameter(model, $"feature.{m}").Value, Parameter(model, $"project.{m}.weight").Value, Parameter(model, $"project.{m}.bias").Value);
            return Enumerable.Range(0, 3).Select(c => (float)(b[0, c] + Enumerable.Range(0, x.Cols).Sum(k => (double)x[i, k] * w[k, c]))).ToArray();
        };
        double expected = BprWithEmbLoss(Batch, User, Item, User, Item, 0)
            + 0.5 * BprWithEmbLoss(Batch, User, Content("image"), User, Item, 0)
            + 0.5 * BprWithEmbLoss(Batch, User, Content("audio"), User, Item, 0);
        Assert.Equal(expected, LossValue(model), 1e-4);
    }

    [Fact]
    public void Scores_use_the_full_graph_and_do_not_depend_on_batching()
    {
        var model = Create("dropout=0.8");
        Train(model);
        model.BeginEpoch(0, new Rng(6));
        var all = ScoreAll(model, [0, 1, 2, 3], Items);
        var fresh = Create("dropout=0.8");
        for (int p = 0; p < model.Parameters.Count; p++) model.Parameters[p].Value.Data.CopyTo(fresh.Parameters[p].Value.Data, 0);
        Assert.Equal(all.Data, ScoreAll(fresh, [0, 1, 2, 3], Items).Data);
        for (int u = 0; u < Users; u++) Assert.Equal(all.Row(u).ToArray(), ScoreAll(model, [u], Items).Row(0).ToArray());
    }
}
