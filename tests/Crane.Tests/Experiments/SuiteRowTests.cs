using Crane.Experiments;
using Crane.Models;

namespace Crane.Tests.Experiments;

public class SuiteRowTests
{
    [Fact]
    public void A_grid_expands_to_every_combination_with_each_seed_the_first_axis_slowest()
    {
        var row = new SuiteRow("lightgcn", "lightgcn", new Dictionary<string, string> { ["embedding_size"] = "32" },
            new SettingGrid(("n_layers", ["1", "2"]), ("reg_weight", ["1e-3", "1e-4", "1e-5"])));

        var runs = row.Runs([999, 1000]);

        Assert.Equal(2 * 3 * 2, runs.Count);
        Assert.Equal(["n_layers=1, reg_weight=1e-3", "n_layers=1, reg_weight=1e-3", "n_layers=1, reg_weight=1e-4"],
            runs.Take(3).Select(r => string.Join(", ", r.Settings.Where(s => s.Key != "embedding_size").Select(s => $"{s.Key}={s.Value}"))));
        Assert.Equal([999UL, 1000UL, 999UL], runs.Take(3).Select(r => r.Seed));
        Assert.All(runs, r => Assert.Equal("32", r.Settings["embedding_size"]));
        Assert.Equal(12, runs.Select(r => r.Folder).Distinct().Count());
        Assert.Equal(Path.Combine("lightgcn_embedding_size-32_n_layers-2_reg_weight-1e-5", "seed-1000"), runs[^1].Folder);
    }

    [Fact]
    public void A_row_without_a_grid_is_one_run_per_seed()
    {
        var runs = SuiteRow.Of("w/o RCA", "crane", ("rca_depth", "0")).Runs([5, 6, 7]);

        Assert.Equal([5UL, 6UL, 7UL], runs.Select(r => r.Seed));
        Assert.All(runs, r => Assert.Equal("rca_depth=0", r.SettingsText));
    }

    [Fact]
    public void The_learning_rate_key_goes_to_the_trainer_not_the_model()
    {
        var run = new SuiteRow("mmgcn", "mmgcn", new Dictionary<string, string>(), new SettingGrid(("reg_weight", ["0"]), (SettingGrid.LearningRate, ["5e-4"]))).Runs([1])[0];

        Assert.Equal(5e-4f, run.LearningRate);
        Assert.Equal(["reg_weight"], run.ModelSettings.Keys);
        Assert.Null(SuiteRow.Of("bpr", "bpr").Runs([1])[0].LearningRate);
    }

    [Fact]
    public void Folder_names_keep_only_safe_characters()
    {
        var run = SuiteRow.Of("x", "freedom", ("modalities", "image,audio")).Runs([1])[0];

        Assert.Equal(Path.Combine("freedom_modalities-image~audio", "seed-1"), run.Folder);
    }

    [Fact]
    public void A_grid_refuses_an_empty_axis_or_a_repeated_key()
    {
        Assert.Throws<ArgumentException>(() => new SettingGrid(("a", [])));
        Assert.Throws<ArgumentException>(() => new SettingGrid(("a", ["1"]), ("a", ["2"])));
        Assert.Throws<ArgumentException>(() => SuiteRow.Of("x", "bpr").Runs([]));
    }

    [Fact]
    public void Main_lists_every_registered_model_and_the_papers_models_not_registered_yet()
    {
        var rows = Suite.Rows(SuiteKind.Main, null, GridMode.None, []);

        foreach (var name in ModelCatalog.Names) Assert.Contains(rows, r => r.Model == name);
        foreach (var name in ModelGrids.Models) Assert.Contains(rows, r => r.Model == name);
        Assert.All(rows, r => Assert.Null(r.Grid));
        Assert.Equal(rows.Count, rows.Select(r => r.Model).Distinct().Count());
    }

    [Fact]
    public void Main_with_a_grid_gives_each_model_its_table_entry_and_the_reduced_grid_is_smaller()
    {
        var full = Suite.Rows(SuiteKind.Main, ["LightGCN", "bpr"], GridMode.Full, []);
        var reduced = Suite.Rows(SuiteKind.Main, ["lightgcn"], GridMode.Reduced, []);

        Assert.Equal(["lightgcn", "bpr"], full.Select(r => r.Model));
        Assert.Equal(20, full[0].Grid!.Count);     // L ∈ {1,2,3,4} × λ ∈ {1e-2, …, 1e-6}
        Assert.Equal(7, full[1].Grid!.Count);
        Assert.True(reduced[0].Grid!.Count < full[0].Grid!.Count);
        foreach (var model in ModelGrids.Models)
            if (ModelGrids.For(model, GridMode.Full) is { } grid)
                Assert.True(ModelGrids.For(model, GridMode.Reduced)!.Count <= grid.Count, model);
    }

    [Fact]
    public void An_unknown_model_in_the_list_is_refused_by_name()
    {
        var e = Assert.Throws<ArgumentException>(() => Suite.Rows(SuiteKind.Main, ["bpr", "nosuch"], GridMode.None, []));
        Assert.Contains("'nosuch'", e.Message);
        Assert.Equal(["vbpr"], Suite.CheckModels(["VBPR"]));
    }

    [Fact]
    public void The_crane_suites_are_rows_of_crane_with_the_specs_overrides()
    {
        var ablation = Suite.Rows(SuiteKind.Ablation, null, GridMode.None, []);
        var fusion = Suite.Rows(SuiteKind.Fusion, null, GridMode.None, ["image", "audio"]);
        var aggregation = Suite.Rows(SuiteKind.Aggregation, null, GridMode.None, []);

        Assert.All(ablation.Concat(fusion).Concat(aggregation), r => Assert.Equal(CraneModel.Name, r.Model));
        Assert.Equal("0", ablation.Single(r => r.Label == "w/o RCA").Settings["rca_depth"]);
        Assert.Equal("late", ablation.Single(r => r.Label == "w/o dual fusion").Settings["view_fusion"]);
        Assert.Equal(["concat", "sum", "graph_average"], fusion.Skip(2).Take(3).Select(r => r.Settings["modality_fusion"]));
        Assert.Equal(["0", "0"], ablation.Single(r => r.Label == "w/o GCN").Settings.Values);
        Assert.Empty(ablation[0].Settings);
        Assert.Equal(["audio only", "image only"], fusion.Take(2).Select(r => r.Label));
        Assert.Equal("audio", fusion[0].Settings["modalities"]);
        Assert.Equal(["sum", "mean", "max", "attention"], aggregation.Select(r => r.Settings["aggregation"]));
    }

    [Fact]
    public void Sensitivity_sweeps_the_four_parameters_over_the_specs_values()
    {
        var rows = Suite.Rows(SuiteKind.Sensitivity, null, GridMode.None, []);

        var sweeps = rows.GroupBy(r => r.Sweep!.Parameter).ToDictionary(g => g.Key, g => g.Select(r => r.Sweep!.Value).ToArray());
        Assert.Equal([1.0, 2, 3, 4], sweeps["n_ui_layers"]);
        Assert.Equal([1.0, 2, 3], sweeps["n_ii_layers"]);
        Assert.Equal([0.0, 1, 2, 3, 4], sweeps["rca_depth"]);
        Assert.Equal([5.0, 10, 20, 30, 50], sweeps["knn_k"]);
        Assert.All(rows, r => Assert.Equal(r.Sweep!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), r.Settings[r.Sweep.Parameter]));
    }

    [Fact]
    public void Per_model_settings_go_under_the_rows_own()
    {
        var rows = new[] { SuiteRow.Of("a", "crane", ("aggregation", "mean")), SuiteRow.Of("b", "bpr") };
        var perModel = new Dictionary<string, IReadOnlyDictionary<string, string>>
        {
            ["CRANE"] = new Dictionary<string, string> { ["aggregation"] = "max", ["knn_k"] = "5" },
        };

        var result = Suite.WithSettings(rows, perModel);

        Assert.Equal("mean", result[0].Settings["aggregation"]);
        Assert.Equal("5", result[0].Settings["knn_k"]);
        Assert.Empty(result[1].Settings);
    }
}
