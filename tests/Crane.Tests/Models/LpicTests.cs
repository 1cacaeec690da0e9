using Crane.Data;
using Crane.Models;
using Crane.Numerics;
using Crane.Tests.Autograd;
using Crane.Training;
using static Crane.Tests.Models.ModelTestKit;
using Crane.Serving;

namespace Crane.Tests.Models;

public class LpicTests
{
    const int Users = 4, Items = 6, D = 3;

    static Lpic Create(out ModelSettings settings, params string[] extra)
    {
        settings = ModelSettings.Parse(["embedding_size=3", .. extra]);
        return new Lpic(ModalData.Create(), settings, 7);
    }

    static Lpic Create(params string[] extra) => Create(out _, extra);

    [Fact]
    public void Reads_every_modality_by_default_in_name_order_and_is_labelled_a_reconstruction()
    {
        var model = Create();
        Assert.Equal(["audio", "image"], model.UsedModalities);
        Assert.Equal(["audio"], Create("modalities=audio").UsedModalities);
        Assert.Equal("LPIC (reconstructed)", Lpic.Label);
        Assert.Contains("lpic (LPIC (reconstructed))", ModelCatalog.Listing);
        Assert.Equal("lpic (LPIC (reconstructed))", ModelCatalog.Display(Lpic.Name));
        Assert.Equal("lightgcn", ModelCatalog.Display("lightgcn"));
        Reference.AssertRejected<ArgumentException>(() => Create("modalities=image,text"), "LPIC (reconstructed)", "modalities=image,text", "has audio, image");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Each_branch_starts_from_prompt_plus_mean_item_interest_and_the_projected_items(bool normalize)
    {
        // Reference in double: f^m = X^m·W_m + b_m; f^f = W₂·leaky_relu(W₁·[f^audio ‖ f^image] + b₁) + b₂;
        // user row u^b = p_u^b + mean over the distinct training items of u of f^b.
        var model = Create($"normalize_features={normalize}");
        Randomise(model, 41);
        var data = ModalData.Create();
        double[] Project(string m, int i)
        {
            var (x, w, b) = (data.Modalities[m], Parameter(model, $"project.{m}.weight").Value, Parameter(model, $"project.{m}.bias").Value);
            double norm = normalize ? Math.Sqrt(Enumerable.Range(0, x.Cols).Sum(k => (double)x[i, k] * x[i, k])) : 1;
            return Enumerable.Range(0, D).Select(c => b[0, c] + Enumerable.Range(0, x.Cols).Sum(k => x[i, k] / norm * w[k, c])).ToArray();
        }
        double[] Linear(string name, double[] input)
        {
            var (w, b) = (Parameter(model, $"{name}.weight").Value, Parameter(model, $"{name}.bias").Value);
            return Enumerable.Range(0, w.Cols).Select(c => b[0, c] + Enumerable.Range(0, input.Length).Sum(k => input[k] * w[k, c])).ToArray();
        }
        double[] Fused(int i) => Linear("fuse.out", Linear("fuse.hidden", [.. Project("audio", i), .. Project("image", i)])
            .Select(v => v > 0 ? v : 0.01 * v).ToArray());
        Func<int, double[]>[] item = [i => Project("audio", i), i => Project("image", i), Fused];
        string[] branch = ["audio", "image", "fused"];
        var itemsOf = Enumerable.Range(0, Users).Select(u => TinyData.TrainPairs.Where(p => p.User == u).Select(p => p.Item).Distinct().ToArray()).ToArray();

        var inputs = model.BranchInputs(p => p);
        Assert.Equal(3, inputs.Length);
        for (int b = 0; b < 3; b++)
        {
            var prompt = Parameter(model, $"prompt.{branch[b]}").Value;
            for (int u = 0; u < Users; u++)
                for (int c = 0; c < D; c++)
                    Assert.Equal(prompt[u, c] + itemsOf[u].Average(i => item[b](i)[c]), inputs[b].Value[u, c], 4);
            for (int i = 0; i < Items; i++)
                for (int c = 0; c < D; c++) Assert.Equal(item[b](i)[c], inputs[b].Value[Users + i, c], 4);
        }
    }

    [Theory]
    [InlineData("cl_weight=0.5", "modal_cl_weight=0.3", "reg_weight=0.2")]
    [InlineData("cl_weight=0", "modal_cl_weight=0", "reg_weight=0")]
    public void Loss_gradient_matches_finite_differences(string id, string modal, string reg)
    {
        var model = Create(id, modal, reg, "n_layers=1");
        Randomise(model, 42);
        GradCheck.CheckParameters(() => model.Loss(Batch), model.Parameters);
    }

    [Fact]
    public void Without_the_contrastive_and_l2_terms_the_loss_is_bpr_on_the_summed_branches()
    {
        var model = Create("cl_weight=0", "modal_cl_weight=0", "reg_weight=0");
        Randomise(model, 43);
        // Scoring tables are the summed branches; BPR from the scores alone.
        var scores = ScoreAll(model, [0, 1, 2, 3], Items);
        double expected = Batch.Users.Select((u, k) => -Math.Log(1 / (1 + Math.Exp(-(scores[u, Batch.Positives[k]] - scores[u, Batch.Negatives[k]]))))).Average();
        Assert.Equal(expected, LossValue(model), 4);
    }

    [Fact]
    public void Scores_survive_a_save_and_load()
    {
        var model = Create(out var settings);
        Train(model);
        var before = ScoreAll(model, [0, 1, 2, 3], Items);
        for (int u = 0; u < Users; u++) Assert.Equal(before.Row(u).ToArray(), ScoreAll(model, [u], Items).Row(0).ToArray());
        var path = Path.Combine(Path.GetTempPath(), $"crane-lpic-{Guid.NewGuid():N}.crane");
        try
        {
            TrainedModel.From(model, ModalData.Create(), settings.Resolved, 7).Save(path);
            Assert.Equal(before.Data, ScoreAll(TrainedModel.Load(path).Scorer, [0, 1, 2, 3], Items).Data);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void A_short_run_on_tiny_synthetic_data_beats_random_scores()
    {
        var data = SyntheticGenerator.Generate(SyntheticOptions.Tiny);
        var model = new Lpic(data, ModelSettings.Parse(["embedding_size=16"]), 3);
        var result = new Trainer(new TrainerOptions(Epochs: 8, Patience: 8, LearningRate: 1e-2f, BatchSize: 256, Seed: 3)).Train(model, data);
        var random = new Tensor(data.UserCount, data.ItemCount);
        new Rng(5).FillUniform(random.Data, 0f, 1f);
        var chance = Crane.Evaluation.Evaluator.Evaluate(new Crane.Tests.Evaluation.FixedScoresModel(random), data, Split.Valid)["recall@20"];
        Assert.True(result.BestValidation["recall@20"] > 1.5 * chance, $"valid R@20 {result.BestValidation["recall@20"]:F4} vs random {chance:F4}");
    }
}
