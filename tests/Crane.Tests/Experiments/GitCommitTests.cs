using Crane.Experiments;
using Crane.Training;

namespace Crane.Tests.Experiments;

public sealed class GitCommitTests : IDisposable
{
    const string Sha = "0123456789abcdef0123456789abcdef01234567";
    const string Other = "89abcdef0123456789abcdef0123456789abcdef";
    readonly string _root = Directory.CreateTempSubdirectory("crane-git-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    string Write(string relative, string text)
    {
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Reads_a_loose_branch_ref_from_a_subfolder_of_the_checkout()
    {
        Write("repo/.git/HEAD", "ref: refs/heads/main\n");
        Write("repo/.git/refs/heads/main", Sha + "\n");
        Directory.CreateDirectory(Path.Combine(_root, "repo/src/bin"));

        Assert.Equal(Sha, GitCommit.Find(Path.Combine(_root, "repo/src/bin")));
    }

    [Fact]
    public void Reads_packed_refs_and_a_detached_head()
    {
        Write("packed/.git/HEAD", "ref: refs/heads/main\n");
        Write("packed/.git/packed-refs", $"# pack-refs with: peeled\n{Other} refs/heads/dev\n{Sha} refs/heads/main\n");
        Write("detached/.git/HEAD", Other + "\n");

        Assert.Equal(Sha, GitCommit.Find(Path.Combine(_root, "packed")));
        Assert.Equal(Other, GitCommit.Find(Path.Combine(_root, "detached")));
    }

    [Fact]
    public void Follows_a_worktree_to_the_common_folders_refs()
    {
        Write("main/.git/refs/heads/feature", Sha + "\n");
        Write("main/.git/worktrees/feature/HEAD", "ref: refs/heads/feature\n");
        Write("main/.git/worktrees/feature/commondir", "../..\n");
        Write("wt/.git", $"gitdir: {Path.Combine(_root, "main/.git/worktrees/feature")}\n");

        Assert.Equal(Sha, GitCommit.Find(Path.Combine(_root, "wt")));
    }

    [Fact]
    public void Is_null_outside_a_checkout()
    {
        Directory.CreateDirectory(Path.Combine(_root, "plain"));
        Assert.Null(GitCommit.Find(Path.Combine(_root, "plain")));
    }
}
