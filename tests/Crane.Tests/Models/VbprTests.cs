using Crane.Data;
using Crane.Models;
using Crane.Numerics;
using Crane.Tests.Autograd;
using static Crane.Tests.Models.ModelTestKit;

namespace Crane.Tests.Models;

public class VbprTests
{
    const int Users = 4, Items = 6, D = 3;

    static Vbpr Create(params string[] settings) => new(ModalData.Create(), ModelSettings.Parse(["embedding_size=3", .. settings]), 7);

    /// <summary>item_i = [γ_i ; [x_i^image ; x_i^audio]·W + b] in double, 2d wide.</summary>
    static double[] ItemVector(Vbpr model, int i)
    {
        var data = ModalData.Create();
        var x = data.Modalities["image"].Row(i).ToArray().Concat(data.Modalities["audio"].Row(i).ToArray()).ToArray();
        var (gamma, w, b) = (Parameter(model, "item_embedding").Value, Parameter(model, "item_linear.weight").Value, Parameter(model, "item_linear.bias").Value);
        Assert.Equal((8, D), (w.Rows, w.Cols)); // one layer over the concatenated 5 + 3 raw columns
        return Enumerable.Range(0, D).Select(c => (double)gamma[i, c])
            .Concat(Enumerable.Range(0, D).Select(c => b[0, c] + Enumerable.Range(0, 8).Sum(k => (double)x[k] * w[k, c]))).ToArray();
    }

    [Fact]
    public void Scores_are_theta_u_dot_gamma_i_then_projected_features()
    {
        var model = Create();
        Randomise(model, 31);
        Assert.Equal((Users, 2 * D), (Parameter(model, "user_embedding").Rows, Parameter(model, "user_embedding").Cols));
        var theta = Parameter(model, "user_embedding").Value;
        Reference.AssertClose(ScoreAll(model, [0, 1, 2, 3], Items), Users, Items,
            (u, i) => DenseMath.Dot(theta.Row(u).ToArray().Select(v => (double)v).ToArray(), ItemVector(model, i)), 1e-5);
    }

    [Fact]
    public void Loss_is_bpr_plus_lambda_times_embloss_on_the_wide_rows()
    {
        var model = Create("reg_weight=0.3");
        Randomise(model, 32);
        var theta = Parameter(model, "user_embedding").Value;
        float[] User(int u) => theta.Row(u).ToArray();
        float[] Item(int i) => ItemVector(model, i).Select(v => (float)v).ToArray();
        Assert.Equal(BprWithEmbLoss(Batch, User, Item, User, Item, 0.3), LossValue(model), 1e-5);
    }

    [Fact]
    public void Loss_gradient_matches_finite_differences() => AssertLossGradient(Create("reg_weight=0.5"), 33);

    [Fact]
    public void Default_modalities_put_text_before_image_then_the_rest_by_name()
    {
        var settings = new ModelSettings();
        var model = new Vbpr(ThreeModalities(), settings, 1);
        Assert.Equal(["text", "image", "audio"], model.UsedModalities);
        Assert.Equal("text,image,audio", settings.Resolved["modalities"]);
        Assert.Equal(["image", "audio"], Create().UsedModalities);
        Assert.All(Parameter(Create(), "item_linear.bias").Value.Data, b => Assert.Equal(0f, b));
        Assert.Equal(["audio", "image"], Create("modalities=audio,image").UsedModalities);
    }

    [Fact]
    public void Save_then_load_gives_identical_scores() => ModelChecksKit.AssertRoundTrip(Vbpr.Name, ModalData.Create(), "embedding_size=4");

    [Fact]
    public void Short_training_beats_random_recall() =>
        ModelChecksKit.AssertBeatsRandom(Vbpr.Name, 10, "embedding_size=16");

    [Theory]
    [InlineData("modalities=image,text", "modalities=image,text", "'text'", "audio, image")]
    [InlineData("modalities=image,image", "twice")]
    [InlineData("reg_weight=-1", "reg_weight=-1")]
    public void Bad_settings_are_rejected_by_name(string setting, params string[] fragments) =>
        Reference.AssertRejected<ArgumentException>(() => Create(setting), fragments);

    [Fact]
    public void A_dataset_without_features_is_refused() =>
        Reference.AssertRejected<ArgumentException>(() => new Vbpr(TinyData.Create(), new ModelSettings(), 1), "vbpr", "no modality");

    /// <summary><see cref="ModalData"/> plus a 6×2 "text" table.</summary>
    internal static Dataset ThreeModalities()
    {
        var data = ModalData.Create();
        var text = new Tensor(6, 2);
        new Rng(3).FillNormal(text.Data, 0f, 1f);
        return new Dataset
        {
            Name = data.Name, UserCount = data.UserCount, ItemCount = data.ItemCount, Train = data.Train, Valid = data.Valid, Test = data.Test,
            UserIds = data.UserIds, ItemIds = data.ItemIds,
            Modalities = new Dictionary<string, Tensor>(data.Modalities) { ["text"] = text },
        };
    }
}
