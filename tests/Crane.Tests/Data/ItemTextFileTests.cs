using Crane.Data;

namespace Crane.Tests.Data;

public sealed class ItemTextFileTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("crane-itemtext-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    string Write(string content)
    {
        var path = Path.Combine(_dir, ItemTextFile.FileName);
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public void Reads_one_text_per_item_and_leaves_missing_items_empty()
    {
        var path = Write("itemID\ttext\n2\tRed shoes\twith laces\r\n0\tA blue hat\n\n");
        Assert.Equal(["A blue hat", "", "Red shoes\twith laces"], ItemTextFile.Read(path, 3));
    }

    [Theory]
    [InlineData("itemID\ttext\n0\tok\n1 no tab here\n", 3, "no tab")]
    [InlineData("itemID\ttext\n0\tok\nx1\tword\n", 3, "'x1'")]
    [InlineData("itemID\ttext\n0\tok\n-1\tword\n", 3, "'-1'")]
    [InlineData("itemID\ttext\n0\tok\n7\tword\n", 3, "0..4")]
    [InlineData("itemID\ttext\n0\tok\n0\tagain\n", 3, "line 2")]
    public void A_bad_line_names_the_file_the_line_and_the_value(string content, int line, string fragment)
    {
        var path = Write(content);
        var error = Assert.Throws<DataException>(() => ItemTextFile.Read(path, 5));
        Assert.Equal(path, error.File);
        Assert.Equal(line, error.Line);
        Assert.Contains(fragment, error.Message);
    }

    [Fact]
    public void An_empty_file_is_an_error() =>
        Assert.Contains("empty", Assert.Throws<DataException>(() => ItemTextFile.Read(Write(""), 2)).Message);

    [Fact]
    public void The_dataset_reader_loads_it_and_the_writer_writes_it_back()
    {
        var folder = Path.Combine(_dir, "data");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "d.inter"), "userID\titemID\tx_label\n0\t0\t0\n0\t1\t0\n1\t2\t0\n1\t0\t1\n");
        File.WriteAllText(Path.Combine(folder, ItemTextFile.FileName), "itemID\ttext\n1\tsecond item\n0\tfirst item\n");
        var data = DatasetReader.Load(folder).Dataset;
        Assert.Equal(["first item", "second item", ""], data.ItemText);
        Assert.Contains(Path.GetFullPath(Path.Combine(folder, ItemTextFile.FileName)), data.SourceFiles);

        var copy = Path.Combine(_dir, "copy");
        DatasetWriter.Write(data, copy);
        Assert.Equal(data.ItemText, DatasetReader.Load(copy).Dataset.ItemText);
    }
}
