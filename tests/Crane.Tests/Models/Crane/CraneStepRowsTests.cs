using Crane.Models;
using static Crane.Tests.Models.ModelTestKit;

namespace Crane.Tests.Models;

/// <summary>
/// A training step refines only the user rows its loss reads (<see cref="CraneModel.RefineNeededUsersOnly"/>);
/// the loss and every parameter gradient must equal those of the pass that refines every entity.
/// </summary>
public class CraneStepRowsTests
{
    [Theory]
    [InlineData()]                                        // leave_one_out, λ_cl = 0: no user row is refined
    [InlineData("cl_weight=0.3")]                         // the contrastive term's distinct batch users
    [InlineData("leave_one_out=false")]                   // BPR's user rows
    [InlineData("leave_one_out=false", "cl_weight=0.3", "aggregation=mean")]
    [InlineData("rca_depth=0", "leave_one_out=false")]
    [InlineData("rca_entities=items", "cl_weight=0.3")]
    [InlineData("attention_scope=dense")]                 // not row-local: both take the full pass
    [InlineData("center_profiles=true", "cl_weight=0.3")]
    [InlineData("center_profiles=true", "leave_one_out=false", "rca_entities=items")]
    public void Loss_and_gradients_equal_the_full_pass(params string[] settings)
    {
        var (restricted, restrictedGrads) = LossAndGradients(settings, needed: true);
        var (full, fullGrads) = LossAndGradients(settings, needed: false);
        Assert.Equal(full, restricted, 1e-6 * Math.Max(1, Math.Abs(full)));
        Assert.Equal(fullGrads.Keys, restrictedGrads.Keys);
        // Rows and the per-row operations are the same; sums over rows (W's gradients, AGG's
        // backward) group their terms differently once the unread user rows are gone, so a gradient
        // that cancels (b_image sums ±10-sized rows to 0.25) keeps about five digits, not seven.
        foreach (var (name, g) in fullGrads)
        {
            var r = restrictedGrads[name];
            double scale = g.Max(x => Math.Abs((double)x));
            for (int i = 0; i < g.Length; i++)
                Assert.True(Math.Abs(g[i] - r[i]) <= 1e-4 * Math.Max(scale, 1e-3), $"{name}[{i}]: {r[i]} vs {g[i]} (full pass).");
        }
    }

    [Fact]
    public void Without_leave_one_out_or_contrast_no_user_is_refined()
    {
        var model = CraneData.Model("reg_weight=0.3");
        Assert.True(model.Settings.LeaveOneOut);
        var rows = model.TrainingRows(model.TrainingGraph, [], out _);
        Assert.Null(rows.SigmaUsers);
        Assert.Equal(6, rows.SigmaItems.Rows);
    }

    [Theory]
    [InlineData("attention_scope=tokens")]
    [InlineData("rca_depth=0")]
    public void Item_rows_refined_alone_have_the_bits_of_the_full_pass(string setting)
    {
        // The semantic graph is built from these rows: a flipped last bit could flip a kNN tie.
        var model = CraneData.Model(setting);
        Randomise(model, 97);
        var full = model.Representation(null, refine: true).Value;
        Assert.Equal(full.Data.AsSpan(4 * full.Cols).ToArray(), model.ItemRepresentation(null).Data);
    }

    static (double Loss, Dictionary<string, float[]> Grads) LossAndGradients(string[] settings, bool needed)
    {
        var model = CraneData.Model(["reg_weight=0.3", .. settings]);
        Randomise(model, 97);
        model.RefineNeededUsersOnly = needed;
        foreach (var p in model.Parameters) p.ZeroGrad();
        var loss = model.Loss(Batch);
        loss.Backward();
        return (loss.Value.Data[0], model.Parameters.Where(p => p.Grad is not null).ToDictionary(p => p.Name!, p => p.Grad!.Data.ToArray()));
    }
}
