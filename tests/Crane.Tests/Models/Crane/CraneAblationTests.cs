using Crane.Models;
using Crane.Numerics;
using Crane.Tests.Autograd;
using static Crane.Tests.Models.ModelTestKit;

namespace Crane.Tests.Models;

/// <summary>crane-spec.md §4's ablation switches each remove exactly their component.</summary>
public class CraneAblationTests
{
    const int Users = 4, Items = 6, D = 3;

    [Fact]
    public void Without_the_item_graph_sigma_is_the_content_term_and_no_graph_is_built()
    {
        var model = CraneData.Model("item_graph=false", "rca_depth=1");
        Randomise(model, 91);

        var (final, c, sigma) = model.Forward(model.TrainingGraph);

        Assert.Null(model.TrainingGraph.Graphs);
        var z = model.Representation(null, refine: true).Value;
        var wo = Parameter(model, "W_o").Value;
        Reference.AssertClose(sigma.Value, Users + Items, D, (r, col) => Enumerable.Range(0, 2 * D).Sum(k => (double)z[r, k] * wo[k, col]));   // σ = Z·W_o
        Reference.AssertClose(final.Value, Users + Items, D, (r, col) => (double)c.Value[r, col] + sigma.Value[r, col]);
    }

    [Fact]
    public void Without_attention_each_recursion_adds_v_from_the_joint_projection()
    {
        // R = 1 on the items, no final LN: F'^m = F^m + J·W_V^m with J = LN([F^image ‖ F^text])·W_J + b_J;
        // the users then sum their items' F'^m.
        var model = CraneData.Model("rca_attention=false", "rca_depth=1", "rca_entities=items", "final_norm=false");
        Randomise(model, 92);
        var data = CraneData.Create();
        var (wJ, bJ) = (Parameter(model, "rca_W_J").Value, Parameter(model, "rca_b_J").Value);
        string[] modalities = ["image", "text"];

        double[] Refined(int item)
        {
            var f = Enumerable.Range(0, 2 * D).Select(k => CraneData.Projection(model, data, modalities[k / D], item, k % D)).ToArray();
            double mean = f.Average(), variance = f.Average(v => (v - mean) * (v - mean));
            var normed = f.Select(v => (v - mean) / Math.Sqrt(variance + 1e-5)).ToArray();
            var j = Enumerable.Range(0, D).Select(col => bJ[0, col] + Enumerable.Range(0, 2 * D).Sum(k => normed[k] * wJ[k, col])).ToArray();
            return Enumerable.Range(0, 2 * D).Select(k =>
            {
                var wV = Parameter(model, $"rca_W_V_{modalities[k / D]}").Value;
                return f[k] + Enumerable.Range(0, D).Sum(t => j[t] * wV[t, k % D]);
            }).ToArray();
        }

        var z = model.Representation(null, refine: true).Value;
        var items = Enumerable.Range(0, Items).Select(Refined).ToArray();
        var itemsOf = Enumerable.Range(0, Users).Select(u => TinyData.TrainPairs.Where(p => p.User == u).Select(p => p.Item).Distinct().ToArray()).ToArray();
        Reference.AssertClose(z, Users + Items, 2 * D, (r, col) => r < Users ? itemsOf[r].Sum(i => items[i][col]) : items[r - Users][col], 1e-4);
    }

    [Fact]
    public void Without_attention_the_query_and_key_weights_get_no_gradient_and_with_it_they_do()
    {
        foreach (var attention in new[] { false, true })
        {
            var model = CraneData.Model($"rca_attention={attention.ToString().ToLowerInvariant()}", "rca_depth=2", "leave_one_out=false");
            Randomise(model, 93);
            foreach (var p in model.Parameters) p.Grad?.Data.AsSpan().Clear();
            model.Loss(Batch).Backward();
            var queryAndKey = model.Parameters.Where(p => p.Name is "rca_W_K" or "rca_W_Q_image" or "rca_W_Q_text").ToArray();
            Assert.Equal(3, queryAndKey.Length);
            Assert.Equal(!attention, queryAndKey.All(p => p.Grad is null || p.Grad.Data.All(g => g == 0f)));
        }
    }

    [Fact]
    public void Late_fusion_scores_and_trains_each_branch_on_its_own()
    {
        var model = CraneData.Model("dual_fusion=false", "leave_one_out=false", "cl_weight=0", "reg_weight=0.5");
        Randomise(model, 94);
        var (_, c, sigma) = model.Forward(model.TrainingGraph);
        var e0 = Parameter(model, "embedding").Value;
        var b = Batch;
        double Score(Tensor t, int user, int item) => Dot(RowOf(t, user), RowOf(t, Users + item));
        double bpr = 0, l2 = 0;
        for (int k = 0; k < b.Users.Length; k++)
        {
            foreach (var branch in new[] { c.Value, sigma.Value })   // −log σ(ŷ⁺ − ŷ⁻) per branch
                bpr += Math.Log(1 + Math.Exp(-(Score(branch, b.Users[k], b.Positives[k]) - Score(branch, b.Users[k], b.Negatives[k]))));
            foreach (int row in new[] { b.Users[k], Users + b.Positives[k], Users + b.Negatives[k] })
                l2 += Dot(RowOf(e0, row), RowOf(e0, row));
        }
        Assert.Equal(bpr / b.Users.Length + 0.5 * l2 / b.Users.Length, LossValue(model), 1e-5);

        model.PrepareForScoring();
        var scores = ScoreAll(model, [0, 1, 2, 3], Items);
        Reference.AssertClose(scores, Users, Items, (u, i) => Score(c.Value, u, i) + Score(sigma.Value, u, i), 1e-4);   // ŷ = c_uᵀc_i + σ_uᵀσ_i
    }

    [Fact]
    public void Sum_fusion_adds_the_modality_rows_into_one_d_wide_z()
    {
        var model = CraneData.Model("modality_fusion=sum", "rca_depth=0");
        Randomise(model, 95);
        var data = CraneData.Create();

        var z = model.Representation(null, refine: true).Value;

        Assert.Equal((D, D), (Parameter(model, "W_o").Value.Rows, Parameter(model, "W_o").Value.Cols));
        double Item(int i, int col) => CraneData.Projection(model, data, "image", i, col) + CraneData.Projection(model, data, "text", i, col);
        var itemsOf = Enumerable.Range(0, Users).Select(u => TinyData.TrainPairs.Where(p => p.User == u).Select(p => p.Item).Distinct().ToArray()).ToArray();
        Reference.AssertClose(z, Users + Items, D, (r, col) => r < Users ? itemsOf[r].Sum(i => Item(i, col)) : Item(r - Users, col));
    }

    [Fact]
    public void Graph_average_propagates_with_the_mean_of_one_normalised_knn_graph_per_modality()
    {
        // Per modality block Z^m_I: each item's k = 2 nearest items by cosine (self excluded), the
        // union of both directions, weights max(0, cos), S̃_m = D^{-1/2} S_m D^{-1/2}; s_I = ½(S̃_image + S̃_text)·c_I.
        var model = CraneData.Model("modality_fusion=graph_average", "rca_depth=1");
        Randomise(model, 96);
        var state = model.TrainingGraph;
        model.Forward(state, out var parts);
        var (_, c, _) = model.Forward(state);
        var z = model.Representation(null, refine: true).Value;

        Assert.Equal(2, state.Graphs!.Length);
        var averaged = new double[Items, Items];
        for (int m = 0; m < 2; m++)
        {
            double Cos(int i, int j)
            {
                double[] a = Enumerable.Range(0, D).Select(k => (double)z[Users + i, m * D + k]).ToArray(), b = Enumerable.Range(0, D).Select(k => (double)z[Users + j, m * D + k]).ToArray();
                return a.Zip(b).Sum(p => p.First * p.Second) / Math.Sqrt(a.Sum(v => v * v) * b.Sum(v => v * v));
            }
            var edge = new bool[Items, Items];
            for (int i = 0; i < Items; i++)
                foreach (int j in Enumerable.Range(0, Items).Where(j => j != i).OrderByDescending(j => Cos(i, j)).Take(2))
                    edge[i, j] = edge[j, i] = true;
            double W(int i, int j) => edge[i, j] ? Math.Max(0, Cos(i, j)) : 0;
            var degree = Enumerable.Range(0, Items).Select(i => Enumerable.Range(0, Items).Sum(j => W(i, j)) + 1e-7).ToArray();
            for (int i = 0; i < Items; i++)
                for (int j = 0; j < Items; j++)
                    averaged[i, j] += 0.5 * W(i, j) / Math.Sqrt(degree[i] * degree[j]);
        }
        Reference.AssertClose(parts.SemanticItems!.Value, Items, D, (i, col) => Enumerable.Range(0, Items).Sum(j => averaged[i, j] * c.Value[Users + j, col]), 1e-4);
    }
}
