using Crane.Data;

namespace Crane.Tests.Data;

public sealed class AtomicFileTests : IDisposable
{
    readonly string _root = Directory.CreateTempSubdirectory("crane-atomic-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Replaces_the_file_and_leaves_no_temporary_file()
    {
        var path = Path.Combine(_root, "a.json");
        AtomicFile.WriteText(path, "old");
        AtomicFile.WriteText(path, "new");

        Assert.Equal("new", File.ReadAllText(path));
        Assert.Equal(["a.json"], Directory.GetFiles(_root).Select(Path.GetFileName));
    }

    [Fact]
    public void A_failed_write_keeps_the_old_file_and_leaves_no_temporary_file()
    {
        var path = Path.Combine(_root, "a.json");
        AtomicFile.WriteText(path, "old");

        Assert.Throws<IOException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write("half of a new fi"u8);
            throw new IOException("disk full");
        }));

        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal(["a.json"], Directory.GetFiles(_root).Select(Path.GetFileName));
    }
}
