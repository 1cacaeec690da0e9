using System.Security.Cryptography;
using Crane.Data;
using Crane.Models;
using Crane.Server;
using Crane.Serving;
using Crane.Training;
using Microsoft.AspNetCore.Builder;

namespace Crane.Tests.Server;

/// <summary>
/// Two small trained models (LightGCN and BPR on the tiny synthetic set) saved to a temporary
/// folder, and a way to start <c>crane serve</c>'s server on a free loopback port.
/// </summary>
public sealed class ServerFixture : IDisposable
{
    public string Folder { get; } = Directory.CreateTempSubdirectory("crane-server-").FullName;
    public string LightGcnFile { get; }
    public string BprFile { get; }
    public string KeyFile { get; }
    public string Key { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(20));
    public Dataset Data { get; } = WithTitles(SyntheticGenerator.Generate(SyntheticOptions.Tiny));

    /// <summary>A BPR model trained without user <see cref="ColdUser"/>'s training rows (they were moved to test).</summary>
    public string ColdFile { get; }

    /// <summary>A user the cold model knows but never trained on.</summary>
    public string ColdUser => Data.UserIds.Raw(0);

    public ServerFixture()
    {
        LightGcnFile = Train("lightgcn");
        BprFile = Train("bpr");
        ColdFile = Train("bpr", WithoutTrainingRowsOf(Data, user: 0), "cold");
        KeyFile = Path.Combine(Folder, "api.key");
        File.WriteAllText(KeyFile, Key + "\n");
    }

    string Train(string kind, Dataset? data = null, string? name = null)
    {
        data ??= Data;
        var settings = ModelSettings.Parse(["embedding_size=16"]);
        var model = ModelCatalog.Create(kind, data, settings, 7);
        new Trainer(new TrainerOptions(Epochs: 2, BatchSize: 512, Seed: 7)).Train(model, data);
        var path = Path.Combine(Folder, $"{name ?? kind}.crane");
        TrainedModel.From(model, data, settings.Resolved, 7).Save(path);
        return path;
    }

    static Dataset WithoutTrainingRowsOf(Dataset data, int user)
    {
        var keep = Enumerable.Range(0, data.Train.Count).Where(e => data.Train.Users[e] != user).ToArray();
        var moved = Enumerable.Range(0, data.Train.Count).Where(e => data.Train.Users[e] == user).ToArray();
        return new Dataset
        {
            Name = data.Name, UserCount = data.UserCount, ItemCount = data.ItemCount, Modalities = data.Modalities, ItemText = data.ItemText,
            Train = new Interactions(keep.Select(e => data.Train.Users[e]).ToArray(), keep.Select(e => data.Train.Items[e]).ToArray()),
            Valid = data.Valid,
            Test = new Interactions([.. data.Test.Users, .. moved.Select(e => data.Train.Users[e])], [.. data.Test.Items, .. moved.Select(e => data.Train.Items[e])]),
            UserIds = data.UserIds, ItemIds = data.ItemIds,
        };
    }

    /// <summary>The synthetic set with an item text per item, so answers and the page carry titles.</summary>
    static Dataset WithTitles(Dataset data) => new()
    {
        Name = data.Name, UserCount = data.UserCount, ItemCount = data.ItemCount,
        Train = data.Train, Valid = data.Valid, Test = data.Test, Modalities = data.Modalities,
        UserIds = data.UserIds, ItemIds = data.ItemIds,
        ItemText = Enumerable.Range(0, data.ItemCount).Select(i => $"Item number {i}\nits longer description").ToArray(),
    };

    /// <summary>A started server for <paramref name="options"/> (on 127.0.0.1, a free port) and a client for it.</summary>
    public async Task<RunningServer> Start(ServerOptions options)
    {
        var app = RecommendationServer.Build(options with { Urls = "http://127.0.0.1:0" });
        await app.StartAsync();
        var client = new HttpClient { BaseAddress = new Uri(app.Urls.Single()), Timeout = TimeSpan.FromSeconds(30) };
        return new RunningServer(app, client);
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}

/// <summary>A server started for one test, stopped when disposed.</summary>
public sealed record RunningServer(WebApplication App, HttpClient Client) : IAsyncDisposable
{
    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
