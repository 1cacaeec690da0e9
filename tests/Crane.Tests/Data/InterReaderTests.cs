using Crane.Data;

namespace Crane.Tests.Data;

public class InterReaderTests
{
    static DataException Fails(string content)
    {
        using var dir = new TempFolder();
        string path = dir.File("d.inter", content);
        var error = Assert.Throws<DataException>(() => InterReader.Read(path));
        Assert.Equal(path, error.File);
        Assert.Contains(path, error.Message);
        return error;
    }

    [Fact]
    public void Reads_columns_by_name_ignoring_others_and_takes_counts_from_max_ids()
    {
        using var dir = new TempFolder();
        string path = dir.File("d.inter", "rating\tx_label\titemID\ttimestamp\tuserID\n5\t0\t3\t100\t1\n4\t2\t0\t101\t0\n\n3\t1\t7\t102\t1\n");
        var table = InterReader.Read(path);
        Assert.Equal([1, 0, 1], table.Users);
        Assert.Equal([3, 0, 7], table.Items);
        Assert.Equal([Split.Train, Split.Test, Split.Valid], table.Labels);
        Assert.Equal([2, 3, 5], table.Lines); // the blank line 4 is skipped, numbering is not
        Assert.Equal(2, table.UserCount);
        Assert.Equal(8, table.ItemCount);
    }

    [Fact]
    public void Crlf_and_lf_read_the_same_and_a_byte_order_mark_is_ignored()
    {
        using var dir = new TempFolder();
        const string lf = "userID\titemID\tx_label\n0\t1\t0\n1\t0\t2";
        var a = InterReader.Read(dir.File("a.inter", lf));
        var b = InterReader.Read(dir.File("b.inter", "\uFEFF" + lf.Replace("\n", "\r\n") + "\r\n"));
        Assert.Equal(a.Users, b.Users);
        Assert.Equal(a.Items, b.Items);
        Assert.Equal(a.Labels, b.Labels);
        Assert.Equal(2, b.ItemCount);
    }

    [Fact]
    public void Missing_column_is_named_on_line_1()
    {
        var e = Fails("userID\titem\tx_label\n0\t1\t0\n");
        Assert.Equal(1, e.Line);
        Assert.Contains("'itemID'", e.Message);
    }

    [Fact]
    public void Non_integer_id_names_line_and_value()
    {
        var e = Fails("userID\titemID\tx_label\n0\t1\t0\n0\tabc\t0\n");
        Assert.Equal(3, e.Line);
        Assert.Contains("itemID 'abc'", e.Message);
        Assert.Contains("line 3", e.Message);
    }

    [Fact]
    public void Fractional_id_is_not_an_integer() => Assert.Contains("userID '1.5'", Fails("userID\titemID\tx_label\n1.5\t1\t0\n").Message);

    [Fact]
    public void Negative_id_names_line_and_value()
    {
        var e = Fails("userID\titemID\tx_label\n0\t1\t0\n-4\t1\t0\n");
        Assert.Equal(3, e.Line);
        Assert.Contains("userID -4", e.Message);
    }

    [Fact]
    public void Label_outside_0_1_2_names_line_and_value()
    {
        var e = Fails("userID\titemID\tx_label\r\n0\t1\t0\r\n0\t2\t3\r\n");
        Assert.Equal(3, e.Line);
        Assert.Contains("x_label 3", e.Message);
    }

    [Fact]
    public void Short_row_names_line_and_content()
    {
        var e = Fails("userID\titemID\tx_label\n0\t1\n");
        Assert.Equal(2, e.Line);
        Assert.Contains("'0\t1'", e.Message);
    }

    [Fact]
    public void Empty_file_and_header_only_file_are_errors()
    {
        Assert.Contains("empty", Fails("").Message);
        Assert.Contains("no interactions", Fails("userID\titemID\tx_label\r\n").Message);
    }
}
