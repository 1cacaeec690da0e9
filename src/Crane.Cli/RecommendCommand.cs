using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Crane.Data;
using Crane.Serving;
using Spectre.Console;

namespace Crane.Cli;

/// <summary>
/// <c>crane recommend</c>: top-k items for one user or a file of users from a saved model, raw ids
/// in and out; the model is loaded once and the users are scored in blocks.
/// </summary>
internal static class RecommendCommand
{
    public static Command Create()
    {
        var modelFile = new Option<string>("--model-file") { Description = "A saved model (model.crane in a run folder).", Required = true };
        var user = new Option<string?>("--user", "-u") { Description = "One user's id as in your data files." };
        var usersFile = new Option<string?>("--users-file") { Description = "A file of user ids, one per line (blank lines ignored; a first line 'user' or 'user_id' is a header)." };
        var k = new Option<int>("--k") { Description = "How many items per user.", DefaultValueFactory = _ => 20 };
        var includeSeen = new Option<bool>("--include-seen") { Description = "Also recommend items the user already has in training (left out by default)." };
        var fallback = new Option<string>("--fallback") { Description = "For a user the model does not know: 'none' (an error) or 'popular' (the most popular training items).", DefaultValueFactory = _ => "none" };
        fallback.AcceptOnlyFromAmong("none", "popular");
        var format = new Option<string>("--format") { Description = "Output: 'table' (for reading), 'csv' (user,rank,item,score) or 'json' (one JSON object per user and line).", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "csv", "json");
        var command = new Command("recommend", "Recommend items for users from a saved model; ids are the raw ids of your data files.")
        {
            modelFile, user, usersFile, k, includeSeen, fallback, format,
        };
        command.SetAction(parse => CliErrors.Run(parse, () =>
        {
            int count = parse.GetValue(k);
            if (count < 1) throw new ArgumentException($"--k must be at least 1, got {count}.");
            var (one, file) = (parse.GetValue(user), parse.GetValue(usersFile));
            if ((one is null) == (file is null)) throw new ArgumentException("Give exactly one of --user and --users-file.");
            var users = one is not null ? [new Requested(one, null)] : ReadUsers(file!);

            var trained = TrainedModel.Load(parse.GetRequiredValue(modelFile));
            bool popular = parse.GetValue(fallback) == "popular";
            // A user without training items is answered like an unknown one: its vector was never trained.
            foreach (var unknown in users.Where(u => !trained.HasTrainingItems(u.Id)))
            {
                string why = trained.ContainsUser(unknown.Id) ? "has no training interactions (its rows were all held out)" : $"is not in the model's data (it knows {trained.UserCount:N0} users)";
                if (!popular)
                    throw unknown.Line is int line
                        ? new DataException(file!, line, $"user '{unknown.Id}' {why}; pass --fallback popular for the most popular items.")
                        : new ArgumentException($"User '{unknown.Id}' {why}. Check the id, or pass --fallback popular for the most popular items.");
                Console.Error.WriteLine($"note: user '{unknown.Id}' {why}; showing the {count} most popular training items."); // stderr: stdout may be CSV or JSON
            }
            var known = users.Where(u => trained.HasTrainingItems(u.Id)).Select(u => u.Id).Distinct().ToArray();
            var lists = known.Zip(trained.RecommendMany(known, count, excludeSeen: !parse.GetValue(includeSeen))).ToDictionary(p => p.First, p => p.Second);
            var answers = users.Select(u => new Answer(u.Id, lists.TryGetValue(u.Id, out var items) ? items : trained.MostPopular(count), !lists.ContainsKey(u.Id))).ToArray();
            Write(answers, parse.GetValue(format)!, users.Count > 1);
            return 0;
        }));
        return command;
    }

    /// <summary>A user id asked for, with its line in the users file (null from --user).</summary>
    sealed record Requested(string Id, int? Line);

    /// <summary>One user's list; <paramref name="Popular"/> when it is the fallback for an unknown user.</summary>
    sealed record Answer(string User, IReadOnlyList<ScoredItem> Items, bool Popular);

    static List<Requested> ReadUsers(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"No users file at {Path.GetFullPath(path)}.");
        var users = new List<Requested>();
        int number = 0;
        foreach (var raw in File.ReadLines(path))
        {
            number++;
            var id = raw.Trim();
            if (id.Length == 0 || (number == 1 && id is "user" or "user_id")) continue;
            users.Add(new Requested(id, number));
        }
        if (users.Count == 0) throw new DataException(path, null, "holds no user ids.");
        return users;
    }

    static void Write(Answer[] answers, string format, bool many)
    {
        switch (format)
        {
            case "csv":
                Console.Out.WriteLine("user,rank,item,score");
                foreach (var a in answers)
                    for (int r = 0; r < a.Items.Count; r++)
                        Console.Out.WriteLine($"{Csv(a.User)},{r + 1},{Csv(a.Items[r].ItemId)},{Number(a.Items[r].Score)}");
                break;
            case "json":
                foreach (var a in answers)
                    Console.Out.WriteLine(JsonSerializer.Serialize(new
                    {
                        user = a.User,
                        fallback = a.Popular ? "popular" : null,
                        items = a.Items.Select(i => new { item = i.ItemId, score = i.Score }),
                    }, JsonLines));
                break;
            default:
                var table = new Table();
                if (many) table.AddColumn("user");
                table.AddColumn(new TableColumn("rank").RightAligned()).AddColumn("item").AddColumn(new TableColumn("score").RightAligned());
                foreach (var a in answers)
                    for (int r = 0; r < a.Items.Count; r++)
                    {
                        var cells = new List<string> { (r + 1).ToString(CultureInfo.InvariantCulture), Markup.Escape(a.Items[r].ItemId), Number(a.Items[r].Score) };
                        if (many) cells.Insert(0, Markup.Escape(a.User));
                        table.AddRow(cells.ToArray());
                    }
                AnsiConsole.Write(table);
                break;
        }
    }

    static readonly JsonSerializerOptions JsonLines = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    static string Number(float score) => score.ToString("G6", CultureInfo.InvariantCulture);

    /// <summary>An RFC 4180 field: quoted when it holds a comma, a quote or a line break.</summary>
    static string Csv(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") < 0 ? field : new StringBuilder("\"").Append(field.Replace("\"", "\"\"")).Append('"').ToString();
}
