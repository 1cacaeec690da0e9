using Crane.Data;
using Crane.Models;
using Crane.Optim;

namespace Crane.Tests.Models;

public class CraneVariantsTests
{
    static readonly Dataset Data = SyntheticGenerator.Generate(SyntheticOptions.Tiny);

    /// <summary>Every scope and aggregation trains on the tiny synthetic set (300 users, 200 items, image + text): ten Adam steps on one batch lower its loss.</summary>
    [Theory]
    [InlineData("attention_scope=tokens", "aggregation=sum")]
    [InlineData("attention_scope=dense", "aggregation=sum")]
    [InlineData("attention_scope=neighbors", "aggregation=sum")]
    [InlineData("attention_scope=tokens", "aggregation=mean")]
    [InlineData("attention_scope=tokens", "aggregation=max")]
    [InlineData("attention_scope=neighbors", "aggregation=attention", "rca_entities=items")]
    public void Every_variant_trains(params string[] settings)
    {
        var model = new CraneModel(Data, ModelSettings.Parse(["embedding_size=16", .. settings]), 3);
        model.BeginEpoch(1, Crane.Numerics.Rng.ForStream(3, "epoch"));
        var batch = new TrainingBatch(Data.Train.Users[..64], Data.Train.Items[..64], Enumerable.Range(0, 64).Select(k => (k * 37) % Data.ItemCount).ToArray());
        var adam = new Adam(model.Parameters, new AdamOptions(LearningRate: 0.01f));
        float first = 0, last = 0;
        for (int step = 0; step < 10; step++)
        {
            adam.ZeroGrad();
            var loss = model.Loss(batch);
            loss.Backward();
            adam.Step();
            (first, last) = step == 0 ? (loss.Value.Data[0], 0f) : (first, loss.Value.Data[0]);
        }
        Assert.True(float.IsFinite(last) && last < first, $"loss {first} → {last}");
        var scores = ModelTestKit.ScoreAll(model, [0, 1], Data.ItemCount);
        Assert.All(scores.Data, v => Assert.True(float.IsFinite(v)));
    }
}

public class CraneFeatureScalingTests
{
    [Fact]
    public void Feature_scaling_feeds_the_standardised_table_to_the_projections()
    {
        var data = CraneData.Create();
        var plain = CraneData.Model();
        var scaled = CraneData.Model("feature_scaling=standardize");
        Assert.Equal(FeatureScaling.Standardize, scaled.Settings.FeatureScaling);
        // Same parameters (same seed), so the item rows of Z differ only through X: compare against a model on pre-standardised data.
        var reference = new CraneModel(new Crane.Data.Dataset
        {
            Name = data.Name, UserCount = data.UserCount, ItemCount = data.ItemCount, Train = data.Train, Valid = data.Valid, Test = data.Test,
            UserIds = data.UserIds, ItemIds = data.ItemIds,
            Modalities = data.Modalities.ToDictionary(kv => kv.Key, kv => FeatureScaling.Standardize.Apply(kv.Value)),
        }, ModelSettings.Parse(["embedding_size=3", "knn_k=2", "k_att=2"]), 7);
        Assert.Equal(reference.Representation(null, refine: true).Value.Data, scaled.Representation(null, refine: true).Value.Data);
        Assert.NotEqual(plain.Representation(null, refine: true).Value.Data, scaled.Representation(null, refine: true).Value.Data);
    }

    [Fact]
    public void Feature_scaling_of_trainable_features_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => CraneData.Model("feature_scaling=center", "trainable_features=true"));
        Assert.Contains("feature_scaling=center", error.Message);
    }
}

public class CraneContentLearningRateTests
{
    [Fact]
    public void Content_lr_scales_every_parameter_but_the_id_embeddings()
    {
        var model = CraneData.Model("content_lr=0.1");
        var scales = model.Parameters.ToDictionary(p => p.Name!, model.LearningRateScale);
        Assert.Equal(1f, scales["embedding"]);
        Assert.Equal(0.1f, scales["W_o"]);
        Assert.Equal(0.1f, scales["W_image"]);
        Assert.All(scales.Where(kv => kv.Key != "embedding"), kv => Assert.Equal(0.1f, kv.Value));
        var plain = CraneData.Model();
        Assert.All(plain.Parameters, p => Assert.Equal(1f, plain.LearningRateScale(p)));
    }
}
