using Crane.Models;
using Crane.Tests.Autograd;

namespace Crane.Tests.Models;

public class ModelOptionsTests
{
    [Fact]
    public void A_model_from_typed_settings_is_the_model_from_the_same_set_pairs()
    {
        var data = TinyData.Create();
        var typed = new LightGcn(data, new LightGcnSettings { EmbeddingSize = 6, Layers = 3, RegWeight = 1e-3f }, seed: 5);
        var parsed = ModelCatalog.Create("lightgcn", data, ModelSettings.Parse(["embedding_size=6", "n_layers=3", "reg_weight=0.001"]), 5);

        Assert.Equal(3, typed.Layers);
        Assert.Equal(parsed.Parameters[0].Value.Data, typed.Parameters[0].Value.Data);
        ModelTestKit.Train(typed);
        ModelTestKit.Train(parsed);
        Assert.Equal(ModelTestKit.ScoreAll(parsed, [0, 1, 2, 3], 6).Data, ModelTestKit.ScoreAll(typed, [0, 1, 2, 3], 6).Data);
        Assert.Equal(((LightGcn)parsed).Settings, typed.Settings);
    }

    [Fact]
    public void Typed_values_are_checked_as_set_pairs_are()
    {
        var data = TinyData.Create();
        Reference.AssertRejected<ArgumentException>(() => new LightGcn(data, new LightGcnSettings { Layers = -1 }), "Setting n_layers=-1 must be in [0, 16]");
        Reference.AssertRejected<ArgumentException>(() => new Bpr(data, new BprSettings { RegWeight = float.NaN }), "reg_weight=NaN", "finite");
        Reference.AssertRejected<ArgumentException>(() => ModelCatalog.Create("bpr", data, ModelSettings.Parse(["n_layers=2"]), 1), "no setting 'n_layers'", "embedding_size, reg_weight");
    }

    [Fact]
    public void Settings_travel_as_text_and_back_exactly()
    {
        var settings = new LightGcnSettings { EmbeddingSize = 17, Layers = 0, RegWeight = 1.2345679e-7f };
        var text = settings.ToModelSettings();

        Assert.Equal(settings, ModelOptions.Read<LightGcnSettings>(text, LightGcn.Name));
        Assert.Equal(new Dictionary<string, string> { ["embedding_size"] = "17", ["n_layers"] = "0", ["reg_weight"] = "1.2345679E-07" }, text.Resolved);
    }

    [Fact]
    public void Crane_takes_enums_and_resolves_leave_one_out_from_the_others_on_both_paths()
    {
        var data = CraneData.Create();
        var typed = new CraneModel(data, new CraneSettings { EmbeddingSize = 4, KnnK = 2, Aggregation = Aggregation.Max, Fusion = ModalityFusion.GraphAverage }, seed: 3);
        var parsed = (CraneModel)ModelCatalog.Create("crane", data, ModelSettings.Parse(["embedding_size=4", "knn_k=2", "aggregation=max", "modality_fusion=graph_average"]), 3);

        Assert.Equal(false, typed.Settings.LeaveOneOut); // not exact for max: off, as the text path resolves it
        Assert.Equal(parsed.Settings, typed.Settings);
        Assert.Equal(ModelTestKit.ScoreAll(parsed, [0, 1, 2, 3], 6).Data, ModelTestKit.ScoreAll(typed, [0, 1, 2, 3], 6).Data);
        var text = typed.Settings.ToModelSettings();
        Assert.Equal(typed.Settings, CraneSettings.Read(text, CraneModel.Name));
        Assert.Equal(("graph_average", "max", "false"), (text.Resolved["modality_fusion"], text.Resolved["aggregation"], text.Resolved["leave_one_out"]));
        Reference.AssertRejected<ArgumentException>(() => new CraneModel(data, new CraneSettings { Aggregation = Aggregation.Max, LeaveOneOut = true }), "leave_one_out=true needs aggregation=sum or mean");
    }

    [Theory]
    [InlineData("lightgcn", "n_layers=1000000", "Setting n_layers=1000000 must be in [0, 16]: the papers use 1 to 4 layers")]
    [InlineData("bpr", "embedding_size=100000", "Setting embedding_size=100000 must be in [1, 4096]: the field's models use 64 to 512")]
    [InlineData("crane", "knn_k=5000", "Setting knn_k=5000 must be in [1, 1000]: the papers use 5 to 20")]
    [InlineData("crane-released", "n_heads=5000", "Setting n_heads=5000 must be in [1, 1024]")]
    public void Size_like_settings_stop_at_a_sensible_maximum_and_say_why(string model, string setting, string message) =>
        Reference.AssertRejected<ArgumentException>(() => ModelCatalog.Create(model, ModalData.Create(), ModelSettings.Parse([setting]), 1), message);
}
