using Crane.Data;

namespace Crane.Tests.Data;

public class DatasetReaderTests
{
    const string Header = "userID\titemID\tx_label\n";

    static DataException Fails(TempFolder dir, string file, Action? more = null)
    {
        more?.Invoke();
        var e = Assert.Throws<DataException>(() => DatasetReader.Load(dir.Path));
        Assert.EndsWith(file, e.File);
        Assert.Contains(file, e.Message);
        return e;
    }

    [Fact]
    public void Loads_splits_in_file_order_with_identity_ids_and_no_warnings()
    {
        using var dir = new TempFolder();
        dir.File("toy.inter", Header + "0\t0\t0\n0\t1\t0\n1\t2\t0\n0\t2\t1\n1\t0\t2\n");
        var (data, warnings) = DatasetReader.Load(dir.Path);
        Assert.Equal("toy", data.Name);
        Assert.Equal((2, 3), (data.UserCount, data.ItemCount));
        Assert.Equal([0, 0, 1], data.Train.Users);
        Assert.Equal([0, 1, 2], data.Train.Items);
        Assert.Equal([2], data.Valid.Items);
        Assert.Equal([1], data.Test.Users);
        Assert.Equal("2", data.ItemIds.Raw(2));
        Assert.Empty(warnings);
        Assert.Empty(data.Modalities);
        Assert.Equal([Path.GetFullPath(Path.Combine(dir.Path, "toy.inter"))], data.SourceFiles);
    }

    [Fact]
    public void Duplicate_training_pair_names_both_lines_and_the_pair()
    {
        using var dir = new TempFolder();
        dir.File("d.inter", Header + "0\t0\t0\n1\t1\t0\n0\t3\t2\n1\t1\t0\n0\t0\t0\n");
        var e = Fails(dir, "d.inter");
        Assert.Equal(5, e.Line);
        Assert.Contains("(userID 1, itemID 1)", e.Message);
        Assert.Contains("line 3", e.Message);
    }

    [Fact]
    public void Repeated_pair_outside_train_is_a_warning()
    {
        using var dir = new TempFolder();
        dir.File("d.inter", Header + "0\t0\t0\n0\t1\t0\n0\t0\t2\n");
        var (_, warnings) = DatasetReader.Load(dir.Path);
        Assert.Contains(warnings, w => w.Contains("1 valid/test row(s) repeat a training pair (first on line 4)"));
    }

    [Fact]
    public void A_held_out_pair_given_twice_is_a_warning_naming_both_lines()
    {
        using var dir = new TempFolder();
        dir.File("d.inter", Header + "0\t0\t0\n0\t1\t1\n0\t2\t2\n0\t1\t2\n");
        var (_, warnings) = DatasetReader.Load(dir.Path);
        Assert.Contains(warnings, w => w.Contains("1 valid/test row(s) repeat an earlier valid/test row (first on line 5, a repeat of line 3)"));
    }

    [Fact]
    public void Users_without_training_rows_are_a_warning_with_counts()
    {
        using var dir = new TempFolder();
        dir.File("d.inter", Header + "0\t0\t0\n1\t0\t1\n1\t1\t2\n2\t1\t2\n0\t1\t1\n");
        var (data, warnings) = DatasetReader.Load(dir.Path);
        Assert.Equal(3, data.UserCount);
        var warning = Assert.Single(warnings);
        Assert.Contains("2 user(s) have valid/test rows but no training rows (3 rows; first on line 3, userID 1", warning);
    }

    [Fact]
    public void Folder_needs_exactly_one_inter_file()
    {
        using var dir = new TempFolder();
        Assert.Contains("no .inter file", Assert.Throws<DataException>(() => DatasetReader.Load(dir.Path)).Message);
        dir.File("a.inter", Header + "0\t0\t0\n");
        dir.File("b.inter", Header + "0\t0\t0\n");
        Assert.Contains("2 .inter files (a.inter, b.inter)", Assert.Throws<DataException>(() => DatasetReader.Load(dir.Path)).Message);
        Assert.Throws<DataException>(() => DatasetReader.Load(Path.Combine(dir.Path, "missing")));
    }

    [Fact]
    public void Feature_files_become_modalities_and_explicit_files_add_or_replace()
    {
        using var dir = new TempFolder();
        dir.File("d.inter", Header + "0\t0\t0\n0\t1\t2\n");
        NpyWriter.Write(Path.Combine(dir.Path, "image_feat.npy"), new Tensor(2, 3, [1, 2, 3, 4, 5, 6]));
        NpyWriter.Write(Path.Combine(dir.Path, "text_feat.npy"), new Tensor(2, 1, [7, 8]));
        NpyWriter.Write(Path.Combine(dir.Path, "other.npy"), new Tensor(2, 2, [9, 9, 9, 9]));
        var data = DatasetReader.Load(dir.Path, new Dictionary<string, string> { ["audio"] = "other.npy", ["text"] = Path.Combine(dir.Path, "other.npy") }).Dataset;
        Assert.Equal(["audio", "image", "text"], data.Modalities.Keys.Order());
        Assert.Equal([1, 2, 3, 4, 5, 6], data.Modalities["image"].Data);
        Assert.Equal((2, 2), (data.Modalities["text"].Rows, data.Modalities["text"].Cols));
        Assert.Equal(4, data.SourceFiles.Count);
    }

    [Fact]
    public void Feature_rows_must_equal_item_count()
    {
        using var dir = new TempFolder();
        dir.File("d.inter", Header + "0\t0\t0\n0\t2\t2\n");
        NpyWriter.Write(Path.Combine(dir.Path, "image_feat.npy"), new Tensor(2, 3));
        Assert.Contains("has 2 rows but the interactions have N = 3 items", Fails(dir, "image_feat.npy").Message);
    }

    [Fact]
    public void An_id_range_far_beyond_the_ids_used_is_refused_with_the_numbers_unless_allowed()
    {
        using var dir = new TempFolder();
        // 40 users 0 … 39, and one stray row with userID 5000000 on line 42.
        var rows = Enumerable.Range(0, 40).Select(u => $"{u}\t{u % 7}\t0");
        dir.File("d.inter", Header + string.Join("\n", rows) + "\n5000000\t1\t0\n");
        var e = Fails(dir, "d.inter");
        Assert.Equal(42, e.Line);
        Assert.Contains("userID 5000000 makes 5,000,001 users, but only 41 distinct userIDs appear", e.Message);
        Assert.Contains("--allow-sparse-ids", e.Message);

        Assert.Equal(5_000_001, DatasetReader.Load(dir.Path, allowSparseIds: true).Dataset.UserCount);
    }

    [Fact]
    public void A_header_naming_a_column_twice_is_refused_on_its_line()
    {
        using var dir = new TempFolder();
        dir.File("d.inter", "userID\titemID\tx_label\titemID\n0\t0\t0\t1\n");
        var e = Fails(dir, "d.inter");
        Assert.Equal(1, e.Line);
        Assert.Contains("the header names column 'itemID' 2 times", e.Message);
    }

    [Fact]
    public void Features_without_columns_are_refused_with_the_shape()
    {
        using var dir = new TempFolder();
        dir.File("d.inter", Header + "0\t0\t0\n0\t2\t2\n");
        NpyWriter.Write(Path.Combine(dir.Path, "image_feat.npy"), new Tensor(3, 0));
        Assert.Contains("has shape (3, 0): no feature columns", Fails(dir, "image_feat.npy").Message);
    }

    [Fact]
    public void Non_finite_feature_names_row_and_value()
    {
        using var dir = new TempFolder();
        dir.File("d.inter", Header + "0\t0\t0\n0\t2\t2\n");
        var features = new Tensor(3, 2);
        features[2, 1] = float.NaN;
        NpyWriter.Write(Path.Combine(dir.Path, "image_feat.npy"), features);
        Assert.Contains("row 2 (item 2), column 1 is NaN", Fails(dir, "image_feat.npy").Message);
        features[2, 1] = 0;
        features[1, 0] = float.PositiveInfinity;
        NpyWriter.Write(Path.Combine(dir.Path, "image_feat.npy"), features);
        Assert.Contains("row 1 (item 1), column 0 is Infinity", Fails(dir, "image_feat.npy").Message);
    }

    [Fact]
    public void Bad_modality_name_is_rejected()
    {
        using var dir = new TempFolder();
        dir.File("d.inter", Header + "0\t0\t0\n");
        var e = Assert.Throws<DataException>(() => DatasetReader.Load(dir.Path, new Dictionary<string, string> { ["a b"] = "x.npy" }));
        Assert.Contains("modality name 'a b'", e.Message);
    }

    [Fact]
    public void Id_maps_give_raw_ids()
    {
        using var dir = new TempFolder();
        dir.File("d.inter", Header + "0\t0\t0\n1\t1\t0\n");
        dir.File("u_id_mapping.csv", "user_id\tuserID\nbob\t1\nalice\t0\n");
        dir.File("i_id_mapping.csv", "asin\titemID\r\nB001\t0\r\nB002\t1\r\n");
        var data = DatasetReader.Load(dir.Path).Dataset;
        Assert.Equal(["alice", "bob"], data.UserIds.RawIds);
        Assert.True(data.ItemIds.TryGetId("B002", out int item) && item == 1);
        Assert.Equal(3, data.SourceFiles.Count);
    }

    [Theory]
    [InlineData("user_id\tuserID\nbob\t2\nalice\t0\n", 2, "internal user id 2 is outside 0..1")]
    [InlineData("user_id\tuserID\nbob\t1\nalice\t1\n", 3, "internal user id 1 is mapped twice")]
    [InlineData("user_id\tuserID\nbob\t1\nbob\t0\n", 3, "raw user id 'bob' also appears on line 2")]
    [InlineData("user_id\tuserID\nbob\tx\n", 2, "internal user id 'x' is not a whole number")]
    [InlineData("user_id\tuserID\nbob\t99999999999\n", 2, "internal user id 99999999999 is out of range (ids and counts are at most 2,147,483,647)")]
    [InlineData("user_id\tuserID\nbob\t1\n", null, "internal user id 0 has no raw id")]
    public void Bad_id_map_names_line_and_value(string map, int? line, string message)
    {
        using var dir = new TempFolder();
        dir.File("d.inter", Header + "0\t0\t0\n1\t1\t0\n");
        dir.File("u_id_mapping.csv", map);
        var e = Fails(dir, "u_id_mapping.csv");
        Assert.Equal(line, e.Line);
        Assert.Contains(message, e.Message);
    }
}
