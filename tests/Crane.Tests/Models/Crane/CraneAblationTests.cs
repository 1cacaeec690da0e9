using Crane.Autograd;
using Crane.Models;
using Crane.Numerics;
using Crane.Tests.Autograd;
using static Crane.Tests.Models.ModelTestKit;

namespace Crane.Tests.Models;

/// <summary>Each ablation and fusion switch of crane-spec.md §4 removes or replaces exactly its component.</summary>
public class CraneAblationTests
{
    const int Users = 4, Items = 6;

    [Fact]
    public void Without_the_item_graph_sigma_is_the_content_term_and_no_graph_is_built()
    {
        var model = CraneData.Model("item_graph=false");
        Randomise(model, 94);
        var (final, c, sigma) = model.Forward(model.TrainingGraph, out var parts);
        Assert.Empty(model.TrainingGraph.Graphs);
        Assert.Null(parts.Semantic);
        Assert.Equal(parts.Content!.Value.Data, sigma.Value.Data);
        for (int k = 0; k < final.Value.Data.Length; k++) Assert.Equal(c.Value.Data[k] + sigma.Value.Data[k], final.Value.Data[k]);
    }

    [Fact]
    public void Without_attention_each_recursion_adds_the_joint_value_and_ignores_queries_and_keys()
    {
        // R = 1, no final LN: Z^m = F^m + J·W_V^m with J = LN([F^image ‖ F^text])·W_J + b_J.
        var model = CraneData.Model("rca_depth=1", "rca_attention=false", "final_norm=false");
        Randomise(model, 95);
        var f = ProjectionsOfEntities(model);
        var j = Ops.Add(Ops.MatMul(Ops.LayerNorm(Ops.ConcatColumns(f)), Parameter(model, "rca_W_J")), Parameter(model, "rca_b_J")).Value;
        var z = model.Representation(null, refine: true).Value;
        var wv = new[] { Parameter(model, "rca_W_V_image").Value, Parameter(model, "rca_W_V_text").Value };
        Reference.AssertClose(z, Users + Items, 6, (r, col) =>
        {
            int m = col / 3, c = col % 3;
            return f[m].Value[r, c] + Enumerable.Range(0, 3).Sum(k => (double)j[r, k] * wv[m][k, c]);
        }, 1e-5);

        foreach (var name in new[] { "rca_W_Q_image", "rca_W_Q_text", "rca_W_K" })
            Array.Fill(Parameter(model, name).Value.Data, 3f);
        Assert.Equal(z.Data, model.Representation(null, refine: true).Value.Data);
    }

    [Fact]
    public void Late_fusion_scores_each_view_apart_and_gives_each_its_own_bpr_term()
    {
        var model = CraneData.Model("view_fusion=late", "leave_one_out=false", "cl_weight=0", "reg_weight=0", "content_reg=0");
        Randomise(model, 96);
        var (_, c, sigma) = model.Forward(model.TrainingGraph);
        Assert.Equal(BatchBpr(c.Value) + BatchBpr(sigma.Value), LossValue(model), 1e-5);

        var scores = ScoreAll(model, [0, 1, 2, 3], Items);
        var (_, c2, sigma2) = model.Forward(model.BuildGraph());
        Reference.AssertClose(scores, Users, Items, (u, i) =>
            Dot(RowOf(c2.Value, u), RowOf(c2.Value, Users + i)) + Dot(RowOf(sigma2.Value, u), RowOf(sigma2.Value, Users + i)), 1e-5);
    }

    [Fact]
    public void Sum_fusion_adds_the_projections_and_concat_fusion_equals_depth_zero()
    {
        var sum = CraneData.Model("modality_fusion=sum");
        Randomise(sum, 97);
        var f = ProjectionsOfEntities(sum);
        Assert.Equal((3, 3), (Parameter(sum, "W_o").Value.Rows, Parameter(sum, "W_o").Value.Cols));
        Reference.AssertClose(sum.Representation(null, refine: true).Value, Users + Items, 3,
            (r, col) => (double)f[0].Value[r, col] + f[1].Value[r, col], 1e-5);

        var concat = CraneData.Model("modality_fusion=concat");
        var depthZero = CraneData.Model("rca_depth=0");
        Randomise(concat, 97);
        Randomise(depthZero, 97);
        Assert.Equal(depthZero.Representation(null, refine: true).Value.Data, concat.Representation(null, refine: true).Value.Data);
        Assert.Equal(depthZero.Settings.LeaveOneOut, concat.Settings.LeaveOneOut);
    }

    [Fact]
    public void Graph_average_fusion_builds_one_graph_per_modality_and_averages_their_propagation()
    {
        var model = CraneData.Model("modality_fusion=graph_average", "n_ii_layers=1", "ii_layer_mean=false");
        Randomise(model, 98);
        var graphs = model.TrainingGraph.Graphs;
        Assert.Equal(2, graphs.Length);
        var z = model.Representation(null, refine: true);
        var zItems = Ops.SliceRows(z, Users, Items);
        var cItems = Ops.SliceRows(model.Forward(model.TrainingGraph).Collaborative, Users, Items).Value;
        var each = graphs.Select((g, m) => g.Step(g.NormalizedWeights(Ops.SliceColumns(zItems, m * 3, 3)), Variable.Constant(cItems)).Value).ToArray();
        model.Forward(model.TrainingGraph, out var parts);
        Reference.AssertClose(parts.SemanticItems!.Value, Items, 3, (i, col) => 0.5 * ((double)each[0][i, col] + each[1][i, col]), 1e-5);
        Assert.NotEqual(each[0].Data, each[1].Data);   // the two modality graphs differ, so the average is not either one
    }

    [Fact]
    public void Item_item_layer_mean_averages_the_semantic_layers_from_the_collaborative_rows()
    {
        var model = CraneData.Model("ii_layer_mean=true", "n_ii_layers=2");
        Randomise(model, 98);
        var graph = model.TrainingGraph.Graphs.Single();
        var weights = graph.NormalizedWeights(Ops.SliceRows(model.Representation(null, refine: true), Users, Items));
        var c0 = Variable.Constant(Ops.SliceRows(model.Forward(model.TrainingGraph).Collaborative, Users, Items).Value);
        var c1 = graph.Step(weights, c0);
        var c2 = graph.Step(weights, c1);
        model.Forward(model.TrainingGraph, out var parts);
        Reference.AssertClose(parts.SemanticItems!.Value, Items, 3, (i, col) => ((double)c0.Value[i, col] + c1.Value[i, col] + c2.Value[i, col]) / 3, 1e-5);
    }

    [Fact]
    public void Content_regularisation_adds_the_squared_norms_of_the_batch_content_rows()
    {
        var (with, without) = CraneData.Pair(99, ["content_reg=0.4", "leave_one_out=false", "cl_weight=0"], ["content_reg=0", "leave_one_out=false", "cl_weight=0"]);
        with.Forward(with.TrainingGraph, out var parts);
        var p = parts.Content!.Value;
        var b = Batch;
        double squares = 0;
        for (int k = 0; k < b.Users.Length; k++)
            foreach (int row in new[] { b.Users[k], Users + b.Positives[k], Users + b.Negatives[k] })
                squares += Dot(RowOf(p, row), RowOf(p, row));
        Assert.Equal(LossValue(without) + 0.4 * squares / b.Users.Length, LossValue(with), 1e-5);
    }

    [Fact]
    public void Collaborative_bpr_adds_a_bpr_term_on_the_collaborative_view_alone()
    {
        var (with, without) = CraneData.Pair(98, ["collaborative_bpr=0.7"], ["collaborative_bpr=0"]);
        var c = with.Forward(with.TrainingGraph).Collaborative.Value;
        Assert.Equal(LossValue(without) + 0.7 * BatchBpr(c), LossValue(with), 1e-5);
    }

    /// <summary>The batch's mean −log σ(x_uᵀx_i⁺ − x_uᵀx_i⁻) with user and item rows from one (M+N)-row table.</summary>
    static double BatchBpr(Tensor t)
    {
        var b = Batch;
        double total = 0;
        for (int k = 0; k < b.Users.Length; k++)
        {
            float[] u = RowOf(t, b.Users[k]);
            total += Math.Log(1 + Math.Exp(-(Dot(u, RowOf(t, Users + b.Positives[k])) - Dot(u, RowOf(t, Users + b.Negatives[k])))));
        }
        return total / b.Users.Length;
    }

    [Theory]
    [InlineData("item_graph=false")]
    [InlineData("rca_attention=false", "attention_scope=dense")]
    [InlineData("view_fusion=late")]
    [InlineData("modality_fusion=sum")]
    [InlineData("modality_fusion=graph_average", "n_ii_layers=2")]
    [InlineData("content_reg=0.5", "leave_one_out=false")]
    [InlineData("collaborative_bpr=0.5")]
    [InlineData("ii_layer_mean=true", "n_ii_layers=2")]
    public void Loss_gradient_matches_finite_differences(params string[] settings)
    {
        var model = CraneData.Model(["reg_weight=0.3", .. settings]);
        Randomise(model, 97);
        // Step 3e-3: at 1e-2 the dense no-attention case's central difference misses one W_J element
        // by 2.5 % (curvature) and converges to the analytic value as the step shrinks.
        GradCheck.CheckParameters(() => model.Loss(Batch), model.Parameters, 3e-3f);
    }

    [Theory]
    [InlineData("modality_fusion=mixed", "modality_fusion")]
    [InlineData("view_fusion=early", "view_fusion")]
    [InlineData("item_graph=maybe", "item_graph")]
    [InlineData("content_reg=-1", "content_reg")]
    [InlineData("collaborative_bpr=-0.1", "collaborative_bpr")]
    public void Bad_switches_are_rejected_by_name(string setting, string fragment) =>
        Reference.AssertRejected<ArgumentException>(() => CraneData.Model(setting), fragment);

    /// <summary>[F_U^m ; F_I^m] per modality (users by the default sum over N_u), from the model's own projection.</summary>
    static Variable[] ProjectionsOfEntities(CraneModel model)
    {
        var data = CraneData.Create();
        return new[] { "image", "text" }.Select(m =>
        {
            var items = Ops.Add(Ops.MatMul(Variable.Constant(data.Modalities[m]), Parameter(model, $"W_{m}")), Parameter(model, $"b_{m}"));
            var users = new Tensor(Users, 3);
            foreach (var (u, i) in TinyData.TrainPairs.Distinct()) for (int c = 0; c < 3; c++) users[u, c] += items.Value[i, c];
            return Ops.ConcatRows(Variable.Constant(users), items);
        }).ToArray();
    }
}
