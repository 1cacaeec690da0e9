using System.Text.Json;
using Crane.Models;
using Crane.Serving;
using TrainingData = Crane.Tests.Training.TinyData;

namespace Crane.Tests.Cli;

/// <summary><c>crane recommend</c> on a saved model; it writes to the console, so these tests swap Console.Out (hence the collection that runs alone).</summary>
[Collection("Parallelism")]
public sealed class RecommendCommandTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("crane-recommend-").FullName;
    readonly string _model;
    readonly TrainedModel _trained;

    public RecommendCommandTests()
    {
        var data = TrainingData.Build();
        var model = ModelCatalog.Create("bpr", data, ModelSettings.Parse(["embedding_size=4"]), 3);
        _model = Path.Combine(_dir, "model.crane");
        TrainedModel.From(model, data).Save(_model);
        _trained = TrainedModel.Load(_model);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    (int Code, string Output, string Error) Recommend(params string[] args)
    {
        var console = Console.Out;
        var output = new StringWriter();
        Console.SetOut(output);
        try
        {
            var (code, _, error) = CraneTool.Run(["recommend", "--model-file", _model, .. args]);
            return (code, output.ToString(), error);
        }
        finally { Console.SetOut(console); }
    }

    string UsersFile(params string[] lines)
    {
        var path = Path.Combine(_dir, "users.txt");
        File.WriteAllLines(path, lines);
        return path;
    }

    [Fact]
    public void A_users_file_gives_one_csv_block_per_user_equal_to_the_library()
    {
        var (code, output, _) = Recommend("--users-file", UsersFile("user_id", "u3", "", "u0"), "--k", "3", "--format", "csv");

        Assert.Equal(0, code);
        var lines = output.TrimEnd().Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        Assert.Equal("user,rank,item,score", lines[0]);
        var expected = _trained.RecommendMany(["u3", "u0"], k: 3)
            .SelectMany((items, r) => items.Select((item, rank) => $"{(r == 0 ? "u3" : "u0")},{rank + 1},{item.ItemId},{item.Score.ToString("G6", System.Globalization.CultureInfo.InvariantCulture)}"));
        Assert.Equal(expected, lines[1..]);
    }

    [Fact]
    public void Json_lines_mark_the_popular_fallback_and_keep_stdout_clean()
    {
        var (code, output, _) = Recommend("--users-file", UsersFile("u1", "stranger"), "--k", "2", "--format", "json", "--fallback", "popular");

        Assert.Equal(0, code);
        var rows = output.TrimEnd().Split('\n').Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.Equal(2, rows.Length); // the fallback note went to stderr, not between the JSON lines
        Assert.Equal("u1", rows[0].GetProperty("user").GetString());
        Assert.False(rows[0].TryGetProperty("fallback", out _));
        Assert.Equal(_trained.Recommend("u1", k: 2).Select(i => i.ItemId), rows[0].GetProperty("items").EnumerateArray().Select(i => i.GetProperty("item").GetString()));
        Assert.Equal("popular", rows[1].GetProperty("fallback").GetString());
        Assert.Equal(_trained.MostPopular(k: 2).Select(i => i.ItemId), rows[1].GetProperty("items").EnumerateArray().Select(i => i.GetProperty("item").GetString()));
    }

    [Fact]
    public void An_unknown_user_without_fallback_names_the_file_and_line_and_exits_2()
    {
        var file = UsersFile("u1", "u2", "stranger");
        var (code, output, error) = Recommend("--users-file", file, "--format", "csv");

        Assert.Equal(2, code);
        Assert.Contains($"{file}, line 3: user 'stranger' is not in the model's data", error);
        Assert.Equal("", output);
    }

    [Fact]
    public void Exactly_one_of_user_and_users_file_is_needed()
    {
        Assert.Contains("exactly one of --user and --users-file", Recommend().Error);
        Assert.Equal(2, Recommend("--user", "u1", "--users-file", UsersFile("u1")).Code);
    }

    [Fact]
    public void A_user_whose_rows_were_all_held_out_is_answered_like_an_unknown_one()
    {
        var data = TrainingData.Build();
        var cold = new Crane.Data.Dataset
        {
            Name = "cold", UserCount = data.UserCount + 1, ItemCount = data.ItemCount, Train = data.Train, Valid = data.Valid,
            Test = new Crane.Data.Interactions([data.UserCount], [0]),
            UserIds = new Crane.Data.IdMap([.. data.UserIds.RawIds, "newcomer"]), ItemIds = data.ItemIds,
        };
        string path = Path.Combine(_dir, "cold.crane");
        TrainedModel.From(ModelCatalog.Create("bpr", cold, ModelSettings.Parse(["embedding_size=4"]), 3), cold).Save(path);

        var (code, _, error) = CraneTool.Run("recommend", "--model-file", path, "--user", "newcomer");
        Assert.Equal(2, code);
        Assert.Contains("User 'newcomer' has no training interactions (its rows were all held out)", error);

        var console = (Console.Out, Console.Error);
        var (output, notes) = (new StringWriter(), new StringWriter());
        Console.SetOut(output);
        Console.SetError(notes);
        try { Assert.Equal(0, CraneTool.Run("recommend", "--model-file", path, "--user", "newcomer", "--fallback", "popular", "--format", "json").Code); }
        finally { Console.SetOut(console.Out); Console.SetError(console.Error); }
        Assert.Contains("\"fallback\":\"popular\"", output.ToString());
        Assert.Contains("note: user 'newcomer' has no training interactions", notes.ToString());
    }
}
