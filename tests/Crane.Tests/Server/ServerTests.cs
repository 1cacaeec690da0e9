using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Crane.Server;
using Crane.Serving;

namespace Crane.Tests.Server;

/// <summary>The server, started on loopback and called over HTTP.</summary>
public sealed class ServerTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    ServerOptions Options(string? file = null) => new() { ModelFile = file ?? fixture.LightGcnFile, ApiKeyFile = fixture.KeyFile };

    string User(int u) => fixture.Data.UserIds.Raw(u);

    static async Task<JsonElement> Json(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    static string[] ItemIds(JsonElement items) => items.EnumerateArray().Select(i => i.GetProperty("item").GetString()!).ToArray();

    static float[] Scores(JsonElement items) => items.EnumerateArray().Select(i => i.GetProperty("score").GetSingle()).ToArray();

    static async Task AssertProblem(HttpResponseMessage response, HttpStatusCode status, string field, string detail)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await Json(response);
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.Equal(field, problem.GetProperty("field").GetString());
        Assert.Contains(detail, problem.GetProperty("detail").GetString());
    }

    static StringContent JsonBody(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task A_users_recommendations_are_the_librarys_with_raw_ids_and_scores()
    {
        await using var server = await fixture.Start(Options());
        var library = TrainedModel.Load(fixture.LightGcnFile);

        var answer = await Json(await server.Client.GetAsync($"/v1/users/{User(3)}/recommendations?k=7"));

        var expected = library.Recommend(User(3), k: 7);
        Assert.Equal(User(3), answer.GetProperty("user").GetString());
        Assert.Equal(expected.Select(e => e.ItemId), ItemIds(answer.GetProperty("items")));
        Assert.Equal(expected.Select(e => e.Score), Scores(answer.GetProperty("items")));
        Assert.Equal(1, answer.GetProperty("model_version").GetInt32());
        var first = answer.GetProperty("items")[0];
        Assert.Equal($"Item number {first.GetProperty("item").GetString()}", first.GetProperty("title").GetString()); // the text's first line

        var withSeen = await Json(await server.Client.GetAsync($"/v1/users/{User(3)}/recommendations?k=7&exclude_seen=false"));
        Assert.Equal(library.Recommend(User(3), k: 7, excludeSeen: false).Select(e => e.ItemId), ItemIds(withSeen.GetProperty("items")));
    }

    [Fact]
    public async Task An_unknown_user_is_404_unless_the_popular_fallback_is_asked_for()
    {
        await using var server = await fixture.Start(Options());
        await AssertProblem(await server.Client.GetAsync("/v1/users/nobody/recommendations"), HttpStatusCode.NotFound, "id", "User 'nobody' is not in the model's data");

        var answer = await Json(await server.Client.GetAsync("/v1/users/nobody/recommendations?k=4&fallback=popular"));
        Assert.Equal("popular", answer.GetProperty("fallback").GetString());
        Assert.Equal(TrainedModel.Load(fixture.LightGcnFile).MostPopular(4).Select(p => p.ItemId), ItemIds(answer.GetProperty("items")));
    }

    [Fact]
    public async Task A_user_without_training_items_is_not_given_untrained_scores()
    {
        await using var server = await fixture.Start(Options(fixture.ColdFile));
        var cold = fixture.ColdUser;
        await AssertProblem(await server.Client.GetAsync($"/v1/users/{cold}/recommendations"), HttpStatusCode.NotFound, "id", "has no training interactions");

        var answer = await Json(await server.Client.GetAsync($"/v1/users/{cold}/recommendations?k=3&fallback=popular"));
        Assert.Equal("popular", answer.GetProperty("fallback").GetString());
        var batch = (await Json(await server.Client.PostAsJsonAsync("/v1/recommendations", new { users = new[] { cold, User(1) }, k = 3, fallback = "popular" }))).GetProperty("results");
        Assert.Equal("popular", batch[0].GetProperty("fallback").GetString());
        Assert.False(batch[1].TryGetProperty("fallback", out _));
    }

    [Theory]
    [InlineData("k=0", "k", "k=0 is not a whole number between 1 and 1000")]
    [InlineData("k=1001", "k", "between 1 and 1000")]
    [InlineData("k=ten", "k", "k=ten is not a whole number")]
    [InlineData("exclude_seen=maybe", "exclude_seen", "exclude_seen=maybe is not true or false")]
    [InlineData("fallback=random", "fallback", "fallback=random is not 'none' or 'popular'")]
    public async Task A_bad_query_is_400_naming_the_field(string query, string field, string detail)
    {
        await using var server = await fixture.Start(Options());
        await AssertProblem(await server.Client.GetAsync($"/v1/users/{User(0)}/recommendations?{query}"), HttpStatusCode.BadRequest, field, detail);
    }

    [Fact]
    public async Task A_batch_answers_every_user_in_order_as_the_library_does()
    {
        await using var server = await fixture.Start(Options());
        var library = TrainedModel.Load(fixture.LightGcnFile);
        string[] users = [User(5), User(0), "stranger", User(5)];

        var response = await server.Client.PostAsJsonAsync("/v1/recommendations", new { users, k = 3, fallback = "popular" });
        var results = (await Json(response)).GetProperty("results").EnumerateArray().ToArray();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(users, results.Select(r => r.GetProperty("user").GetString()));
        Assert.Equal(library.Recommend(User(5), 3).Select(i => i.ItemId), ItemIds(results[0].GetProperty("items")));
        Assert.Equal(library.Recommend(User(0), 3).Select(i => i.ItemId), ItemIds(results[1].GetProperty("items")));
        Assert.Equal("popular", results[2].GetProperty("fallback").GetString());
        Assert.Equal(ItemIds(results[0].GetProperty("items")), ItemIds(results[3].GetProperty("items")));
    }

    [Fact]
    public async Task A_bad_batch_is_refused_with_what_is_wrong()
    {
        await using var server = await fixture.Start(Options() with { MaxBatchUsers = 5, MaxRequestBytes = 4096 });
        var client = server.Client;
        await AssertProblem(await client.PostAsync("/v1/recommendations", JsonBody("{\"users\": [\"a\",")), HttpStatusCode.BadRequest, "$.users[1]", "not valid JSON");
        await AssertProblem(await client.PostAsync("/v1/recommendations", JsonBody("{\"users\": [\"1\"], \"kk\": 3}")), HttpStatusCode.BadRequest, "$.kk", "a field the request does not take");
        await AssertProblem(await client.PostAsync("/v1/recommendations", JsonBody("{\"k\": 3}")), HttpStatusCode.BadRequest, "users", "needs \"users\"");
        await AssertProblem(await client.PostAsJsonAsync("/v1/recommendations", new { users = Enumerable.Range(0, 6).Select(User) }), HttpStatusCode.BadRequest, "users", "holds 6 ids; a batch takes 1 to 5");
        await AssertProblem(await client.PostAsJsonAsync("/v1/recommendations", new { users = new[] { User(1) }, k = 0 }), HttpStatusCode.BadRequest, "k", "\"k\" is 0");
        await AssertProblem(await client.PostAsJsonAsync("/v1/recommendations", new { users = new[] { "stranger" } }), HttpStatusCode.NotFound, "id", "User 'stranger'");
        var huge = JsonBody($"{{\"users\": [\"{new string('x', 5000)}\"]}}");
        await AssertProblem(await client.PostAsync("/v1/recommendations", huge), HttpStatusCode.RequestEntityTooLarge, "body", "larger than 4,096 bytes");
    }

    [Fact]
    public async Task Similar_items_and_a_users_history_come_from_the_model()
    {
        await using var server = await fixture.Start(Options());
        var library = TrainedModel.Load(fixture.LightGcnFile);
        string item = fixture.Data.ItemIds.Raw(11);

        var similar = await Json(await server.Client.GetAsync($"/v1/items/{item}/similar?k=5"));
        Assert.Equal(library.SimilarItems(item, 5).Select(i => i.ItemId), ItemIds(similar.GetProperty("items")));
        await AssertProblem(await server.Client.GetAsync("/v1/items/no-such-item/similar"), HttpStatusCode.NotFound, "id", "Item 'no-such-item'");

        var history = await Json(await server.Client.GetAsync($"/v1/users/{User(2)}"));
        Assert.Equal(library.SeenItems(User(2)), ItemIds(history.GetProperty("seen")));
        var users = await Json(await server.Client.GetAsync("/v1/users?limit=3"));
        Assert.Equal(fixture.Data.UserIds.RawIds.Take(3), users.GetProperty("users").EnumerateArray().Select(u => u.GetString()));
        Assert.Equal(fixture.Data.UserCount, users.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Health_metrics_and_the_openapi_document_describe_the_server()
    {
        await using var server = await fixture.Start(Options());
        var client = server.Client;
        var health = await Json(await client.GetAsync("/healthz"));
        Assert.Equal(("ok", "lightgcn", fixture.Data.UserCount, fixture.LightGcnFile),
            (health.GetProperty("status").GetString(), health.GetProperty("model").GetString(), health.GetProperty("users").GetInt32(), health.GetProperty("model_file").GetString()));

        await client.GetAsync("/v1/users/nobody/recommendations");
        await client.GetAsync($"/v1/users/{User(1)}/recommendations");
        var metrics = await client.GetStringAsync("/metrics");
        Assert.Contains("http_request_duration_seconds_bucket{code=\"200\",method=\"GET\",controller=\"\",action=\"\",endpoint=\"/v1/users/{id}/recommendations\"", metrics);
        Assert.Matches(@"crane_http_errors_total\{code=""404""\} [1-9]", metrics);

        var openApi = await Json(await client.GetAsync("/openapi/v1.json"));
        var paths = openApi.GetProperty("paths");
        foreach (var path in new[] { "/v1/users/{id}/recommendations", "/v1/recommendations", "/v1/items/{id}/similar", "/v1/model/reload", "/healthz" })
            Assert.True(paths.TryGetProperty(path, out _), path);
        Assert.Equal("Crane recommendation API", openApi.GetProperty("info").GetProperty("title").GetString());
    }

    [Fact]
    public async Task Reload_needs_the_key_swaps_the_model_and_refuses_a_corrupt_file()
    {
        await using var server = await fixture.Start(Options());
        var client = server.Client;
        HttpRequestMessage Reload(string? key, object? body = null)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/v1/model/reload") { Content = body is null ? null : JsonContent.Create(body) };
            if (key is not null) request.Headers.Add("X-Api-Key", key);
            return request;
        }

        await AssertProblem(await client.SendAsync(Reload(null)), HttpStatusCode.Unauthorized, "X-Api-Key", "A valid API key is needed");
        await AssertProblem(await client.SendAsync(Reload(fixture.Key + "x")), HttpStatusCode.Unauthorized, "X-Api-Key", "A valid API key is needed");

        var swapped = await client.SendAsync(Reload(fixture.Key, new { model_file = fixture.BprFile }));
        Assert.Equal(HttpStatusCode.OK, swapped.StatusCode);
        Assert.Equal(("bpr", 2), ((await Json(swapped)).GetProperty("model").GetString(), (await Json(swapped)).GetProperty("model_version").GetInt32()));
        var answer = await Json(await client.GetAsync($"/v1/users/{User(4)}/recommendations?k=5"));
        Assert.Equal(TrainedModel.Load(fixture.BprFile).Recommend(User(4), 5).Select(i => i.ItemId), ItemIds(answer.GetProperty("items")));

        var corrupt = Path.Combine(fixture.Folder, "corrupt.crane");
        var bytes = File.ReadAllBytes(fixture.LightGcnFile);
        bytes[^40] ^= 0xFF;
        File.WriteAllBytes(corrupt, bytes);
        await AssertProblem(await client.SendAsync(Reload(fixture.Key, new { model_file = corrupt })), (HttpStatusCode)422, "model_file", "the old one keeps serving");
        var health = await Json(await client.GetAsync("/healthz"));
        Assert.Equal(("bpr", 2), (health.GetProperty("model").GetString(), health.GetProperty("model_version").GetInt32()));

        var bearer = new HttpRequestMessage(HttpMethod.Post, "/v1/model/reload");
        bearer.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", fixture.Key);
        Assert.Equal(3, (await Json(await client.SendAsync(bearer))).GetProperty("model_version").GetInt32()); // no body: the served file again
    }

    [Fact]
    public async Task Without_a_key_file_reload_is_off()
    {
        await using var server = await fixture.Start(Options() with { ApiKeyFile = null });
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/model/reload");
        request.Headers.Add("X-Api-Key", fixture.Key);
        await AssertProblem(await server.Client.SendAsync(request), HttpStatusCode.Forbidden, "X-Api-Key", "started without --api-key-file");
    }

    [Fact]
    public async Task Under_concurrent_readers_a_reload_fails_no_request_and_mixes_no_answer()
    {
        await using var server = await fixture.Start(Options());
        var users = Enumerable.Range(0, 40).Select(User).ToArray();
        var expected = new[] { fixture.LightGcnFile, fixture.BprFile }
            .Select(f => TrainedModel.Load(f).RecommendMany(users, 5).Select(list => list.Select(i => i.ItemId).ToArray()).ToArray()).ToArray();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20)); // bounded in time and, per reader, in requests
        int answered = 0;

        async Task Reader()
        {
            for (int n = 0; n < 2000 && !stop.IsCancellationRequested; n++)
            {
                var response = await server.Client.PostAsJsonAsync("/v1/recommendations", new { users, k = 5 });
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                var body = await Json(response);
                int version = body.GetProperty("model_version").GetInt32();
                var lists = body.GetProperty("results").EnumerateArray().Select(r => ItemIds(r.GetProperty("items"))).ToArray();
                Assert.Equal(expected[(version - 1) % 2], lists); // odd versions are LightGCN, even ones BPR: never a mixture
                Interlocked.Increment(ref answered);
            }
        }

        var readers = Enumerable.Range(0, 8).Select(_ => Task.Run(Reader)).ToArray();
        for (int r = 0; r < 6; r++)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/v1/model/reload") { Content = JsonContent.Create(new { model_file = r % 2 == 0 ? fixture.BprFile : fixture.LightGcnFile }) };
            request.Headers.Add("X-Api-Key", fixture.Key);
            Assert.Equal(HttpStatusCode.OK, (await server.Client.SendAsync(request)).StatusCode);
            await Task.Delay(100);
        }
        stop.Cancel();
        await Task.WhenAll(readers);

        Assert.True(answered > 8, $"only {answered} answers");
        Assert.Equal(7, (await Json(await server.Client.GetAsync("/healthz"))).GetProperty("model_version").GetInt32());
    }

    [Fact]
    public async Task The_page_is_served_at_the_root()
    {
        await using var server = await fixture.Start(Options());
        var response = await server.Client.GetAsync("/");
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<form id=\"search\">", await response.Content.ReadAsStringAsync());
    }
}
