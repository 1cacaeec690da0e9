using System.Globalization;
using System.Text.Json;
using Crane.Data;
using Crane.Serving;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Crane.Server;

/// <summary>The HTTP API: each endpoint a small function over the served model.</summary>
internal static class Api
{
    /// <summary>Maps every /v1 endpoint and /healthz.</summary>
    public static void Map(IEndpointRouteBuilder app, ModelHolder models, ServerOptions options, ApiKey? key, JsonSerializerOptions json)
    {
        var v1 = app.MapGroup("/v1");

        v1.MapGet("/users/{id}/recommendations", (string id, string? k, string? exclude_seen, string? fallback) =>
        {
            var served = models.Current;
            if (!ReadK(k, options.MaxK, out int count, out var bad) || !ReadBool(exclude_seen, "exclude_seen", true, out bool exclude, out bad)
                || !ReadFallback(fallback, out bool popular, out bad))
                return bad;
            var answer = Answer(served, id, count, exclude, popular);
            return answer is null ? UnknownUser(id, served) : Results.Ok(new UserRecommendations(answer.User, served.Generation, answer.Fallback, answer.Items));
        }).WithSummary("Top-k items for a user").Produces<UserRecommendations>().ProducesProblem(400).ProducesProblem(404);

        v1.MapPost("/recommendations", async (HttpRequest request) =>
        {
            var served = models.Current;
            BatchRequest? body;
            try { body = await JsonSerializer.DeserializeAsync<BatchRequest>(request.Body, json); }
            catch (JsonException e) { return BadJson(e, "a batch request takes users, k, exclude_seen and fallback"); }
            catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
            { return Problem(413, $"The body is larger than {options.MaxRequestBytes:N0} bytes.", "body"); }
            if (body?.Users is null) return Problem(400, "The body needs \"users\": a list of user ids.", "users");
            if (body.Users.Count == 0 || body.Users.Count > options.MaxBatchUsers)
                return Problem(400, $"\"users\" holds {body.Users.Count} ids; a batch takes 1 to {options.MaxBatchUsers}.", "users");
            if (body.Users.Any(u => u is null)) return Problem(400, "\"users\" holds a null id.", "users");
            int k = body.K ?? 10;
            if (k < 1 || k > options.MaxK) return Problem(400, $"\"k\" is {k}; it must be between 1 and {options.MaxK}.", "k");
            if (!ReadFallback(body.Fallback, out bool popular, out var bad)) return bad;

            var model = served.Model;
            var unknown = body.Users.FirstOrDefault(u => !model.HasTrainingItems(u));
            if (unknown is not null && !popular) return UnknownUser(unknown, served);
            var known = body.Users.Where(model.HasTrainingItems).Distinct().ToArray();
            var lists = known.Zip(model.RecommendMany(known, k, body.ExcludeSeen ?? true)).ToDictionary(p => p.First, p => p.Second);
            var results = body.Users.Select(u => lists.TryGetValue(u, out var items)
                ? new UserAnswer(u, null, Items(model, items))
                : new UserAnswer(u, "popular", Items(model, model.MostPopular(k)))).ToArray();
            return Results.Ok(new BatchRecommendations(served.Generation, results));
        }).WithSummary("Top-k items for a batch of users (one matrix product per block of users)")
          .Accepts<BatchRequest>("application/json").Produces<BatchRecommendations>().ProducesProblem(400).ProducesProblem(404).ProducesProblem(413);

        v1.MapGet("/items/{id}/similar", (string id, string? k) =>
        {
            var served = models.Current;
            if (!ReadK(k, options.MaxK, out int count, out var bad)) return bad;
            if (!served.Model.ContainsItem(id))
                return Problem(404, $"Item '{id}' is not in the model's data (it knows {served.Model.ItemCount:N0} items).", "id");
            try
            {
                return Results.Ok(new SimilarItemsAnswer(id, served.Generation, Items(served.Model, served.Model.SimilarItems(id, count))));
            }
            catch (NotSupportedException e) { return Problem(501, e.Message, "id"); }
        }).WithSummary("The items most like an item (cosine of item vectors)").Produces<SimilarItemsAnswer>().ProducesProblem(404).ProducesProblem(501);

        v1.MapGet("/users/{id}", (string id) =>
        {
            var served = models.Current;
            if (!served.Model.ContainsUser(id)) return UnknownUser(id, served);
            var seen = served.Model.SeenItems(id).Select(item => new ItemAnswer(item, null, Title(served.Model, item))).ToArray();
            return Results.Ok(new UserHistory(id, seen));
        }).WithSummary("A user's training items").Produces<UserHistory>().ProducesProblem(404);

        v1.MapGet("/users", (string? prefix, string? limit) =>
        {
            var served = models.Current;
            if (!ReadInt(limit, "limit", 20, 1, 1000, out int count, out var bad)) return bad;
            var ids = served.Model.UserIds.RawIds;
            var matching = prefix is null or "" ? ids : ids.Where(u => u.StartsWith(prefix, StringComparison.Ordinal));
            return Results.Ok(new UserList(matching.Take(count).ToArray(), ids.Count));
        }).WithSummary("User ids (the first ones, or those starting with a prefix), for search boxes").Produces<UserList>();

        v1.MapPost("/model/reload", async (HttpRequest request) =>
        {
            if (key is null) return Problem(403, "Reload is off: the server was started without --api-key-file.", "X-Api-Key");
            var given = request.Headers["X-Api-Key"].FirstOrDefault() ?? Bearer(request.Headers.Authorization.FirstOrDefault());
            if (!key.Matches(given)) return Problem(401, "A valid API key is needed (header X-Api-Key, or Authorization: Bearer <key>).", "X-Api-Key");
            ReloadRequest? body = null;
            if (request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0)
            {
                try { body = await JsonSerializer.DeserializeAsync<ReloadRequest>(request.Body, json); }
                catch (JsonException e) { return BadJson(e, "a reload request takes model_file"); }
            }
            string file = body?.ModelFile ?? models.Current.File;
            try
            {
                var next = models.Reload(file);
                return Results.Ok(Health(next));
            }
            catch (Exception e) when (e is DataException or FileNotFoundException or ArgumentException or IOException)
            {
                return Problem(422, $"The model was not reloaded, the old one keeps serving: {e.Message}", "model_file");
            }
        }).WithSummary("Load a model file beside the served one and swap to it (needs the API key)")
          .Accepts<ReloadRequest>("application/json").Produces<HealthAnswer>().ProducesProblem(401).ProducesProblem(403).ProducesProblem(422);

        app.MapGet("/healthz", () => Results.Ok(Health(models.Current))).WithSummary("What is served, since when").Produces<HealthAnswer>();
    }

    static HealthAnswer Health(ServedModel served) => new("ok", served.Model.Kind, served.Model.Origin.DatasetName,
        served.Model.UserCount, served.Model.ItemCount, served.File, served.LoadedAt, served.Generation);

    /// <summary>A user's answer, or null for an unknown user without fallback.</summary>
    static UserAnswer? Answer(ServedModel served, string user, int k, bool excludeSeen, bool popular)
    {
        var model = served.Model;
        if (model.HasTrainingItems(user)) return new UserAnswer(user, null, Items(model, model.Recommend(user, k, excludeSeen)));
        return popular ? new UserAnswer(user, "popular", Items(model, model.MostPopular(k))) : null;
    }

    static ItemAnswer[] Items(TrainedModel model, IReadOnlyList<ScoredItem> items) =>
        items.Select(i => new ItemAnswer(i.ItemId, i.Score, Title(model, i.ItemId))).ToArray();

    /// <summary>An item's display title: the first line of its text, cut at 120 characters; null without item text.</summary>
    static string? Title(TrainedModel model, string item)
    {
        if (model.ItemText is null || !model.ItemIds.TryGetId(item, out int id)) return null;
        var text = model.ItemText[id];
        int end = text.IndexOfAny(['\n', '\r']);
        if (end >= 0) text = text[..end];
        return text.Length == 0 ? null : text.Length <= 120 ? text : text[..119] + "…";
    }

    /// <summary>404 for a user the model cannot recommend for: unknown, or known without training items (its vector was never trained).</summary>
    static IResult UnknownUser(string id, ServedModel served) => served.Model.ContainsUser(id)
        ? Problem(404, $"User '{id}' has no training interactions (its rows were all held out), so the model has nothing to go on; ask with fallback=popular for the most popular items.", "id")
        : Problem(404, $"User '{id}' is not in the model's data (it knows {served.Model.UserCount:N0} users); ask with fallback=popular for the most popular items.", "id");

    /// <summary>A 400 for a body that does not parse or has a field the request does not take, with where it went wrong.</summary>
    static IResult BadJson(JsonException e, string expected)
    {
        string at = e.Path ?? "$";
        string where = e.LineNumber is long line ? $" (line {line + 1}, byte {e.BytePositionInLine + 1})" : "";
        return e.Message.Contains("could not be mapped", StringComparison.Ordinal)
            ? Problem(400, $"The body has a field the request does not take: {at}; {expected}.", at)
            : Problem(400, $"The body is not valid JSON, or a field has the wrong type, at {at}{where}; {expected}.", at);
    }

    /// <summary>A problem-details answer (RFC 9457) naming the offending field.</summary>
    public static IResult Problem(int status, string detail, string field) =>
        Results.Problem(detail: detail, statusCode: status, extensions: new Dictionary<string, object?> { ["field"] = field });

    static bool ReadK(string? raw, int max, out int k, out IResult bad) => ReadInt(raw, "k", 10, 1, max, out k, out bad);

    static bool ReadInt(string? raw, string name, int fallback, int min, int max, out int value, out IResult bad)
    {
        bad = Results.Empty;
        value = fallback;
        if (raw is null) return true;
        if (int.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value) && value >= min && value <= max) return true;
        bad = Problem(400, $"{name}={raw} is not a whole number between {min} and {max}.", name);
        return false;
    }

    static bool ReadBool(string? raw, string name, bool fallback, out bool value, out IResult bad)
    {
        bad = Results.Empty;
        value = fallback;
        if (raw is null) return true;
        if (bool.TryParse(raw, out value)) return true;
        bad = Problem(400, $"{name}={raw} is not true or false.", name);
        return false;
    }

    static bool ReadFallback(string? raw, out bool popular, out IResult bad)
    {
        bad = Results.Empty;
        popular = raw == "popular";
        if (raw is null or "none" or "popular") return true;
        bad = Problem(400, $"fallback={raw} is not 'none' or 'popular'.", "fallback");
        return false;
    }

    static string? Bearer(string? authorization) =>
        authorization is not null && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization[7..].Trim() : null;
}

/// <summary>An item in an answer.</summary>
/// <param name="Item">The item's raw id.</param>
/// <param name="Score">The model's score (cosine for similar items; training interactions for the popular fallback).</param>
/// <param name="Title">The item's title where the dataset has item text.</param>
public sealed record ItemAnswer(string Item, float? Score, string? Title);

/// <summary>One user's list in a batch answer.</summary>
/// <param name="User">The user's raw id.</param>
/// <param name="Fallback">"popular" when the user is unknown and the popular items stand in; absent otherwise.</param>
/// <param name="Items">Best first.</param>
public sealed record UserAnswer(string User, string? Fallback, IReadOnlyList<ItemAnswer> Items);

/// <summary>The answer of <c>GET /v1/users/{id}/recommendations</c>.</summary>
/// <param name="User">The user's raw id.</param>
/// <param name="ModelVersion">Which load of the model answered (1, then +1 per reload).</param>
/// <param name="Fallback">"popular" for an unknown user answered with the popular items.</param>
/// <param name="Items">Best first.</param>
public sealed record UserRecommendations(string User, int ModelVersion, string? Fallback, IReadOnlyList<ItemAnswer> Items);

/// <summary>The body of <c>POST /v1/recommendations</c>.</summary>
/// <param name="Users">Raw user ids (1 to the server's batch limit).</param>
/// <param name="K">Items per user (default 10).</param>
/// <param name="ExcludeSeen">Leave out each user's training items (default true).</param>
/// <param name="Fallback">"none" (an unknown user is a 404) or "popular".</param>
public sealed record BatchRequest(IReadOnlyList<string>? Users, int? K, bool? ExcludeSeen, string? Fallback);

/// <summary>The answer of <c>POST /v1/recommendations</c>: one list per user, in the order asked, all from one model.</summary>
public sealed record BatchRecommendations(int ModelVersion, IReadOnlyList<UserAnswer> Results);

/// <summary>The answer of <c>GET /v1/items/{id}/similar</c>.</summary>
public sealed record SimilarItemsAnswer(string Item, int ModelVersion, IReadOnlyList<ItemAnswer> Items);

/// <summary>The answer of <c>GET /v1/users/{id}</c>: the user's training items.</summary>
public sealed record UserHistory(string User, IReadOnlyList<ItemAnswer> Seen);

/// <summary>The answer of <c>GET /v1/users</c>.</summary>
/// <param name="Users">Matching ids, in the model's order.</param>
/// <param name="Total">How many users the model knows.</param>
public sealed record UserList(IReadOnlyList<string> Users, int Total);

/// <summary>The body of <c>POST /v1/model/reload</c>; without one the served file is read again.</summary>
public sealed record ReloadRequest(string? ModelFile);

/// <summary>The answer of <c>GET /healthz</c> and of a reload.</summary>
public sealed record HealthAnswer(string Status, string Model, string Dataset, int Users, int Items, string ModelFile, DateTimeOffset LoadedAt, int ModelVersion);
