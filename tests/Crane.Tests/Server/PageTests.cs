using System.Net.Http.Json;
using System.Text.Json;
using Crane.Server;
using Microsoft.Playwright;

namespace Crane.Tests.Server;

/// <summary>The page at <c>/</c> in a real headless Chromium, against a server on loopback.</summary>
public sealed class PageTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    /// <summary>Flags for a root, offline, headless run: no sandbox (root), no background connections (the network is closed).</summary>
    static readonly string[] ChromiumArgs =
        ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

    [BrowserFact]
    public async Task Searching_a_user_shows_the_apis_answer_and_an_item_click_its_similar_items()
    {
        await using var server = await fixture.Start(new ServerOptions { ModelFile = fixture.LightGcnFile });
        string user = fixture.Data.UserIds.Raw(7);
        var api = JsonDocument.Parse(await server.Client.GetStringAsync($"/v1/users/{user}/recommendations?k=10")).RootElement;
        var apiItems = api.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("item").GetString()).ToArray();
        var history = JsonDocument.Parse(await server.Client.GetStringAsync($"/v1/users/{user}")).RootElement
            .GetProperty("seen").EnumerateArray().Select(i => i.GetProperty("item").GetString()).ToArray();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = BrowserFactAttribute.Chromium, Headless = true, Args = ChromiumArgs });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 720 } });
        await page.GotoAsync(server.Client.BaseAddress!.ToString());
        await page.WaitForSelectorAsync("body[data-ready=true]");
        Assert.Contains("lightgcn", await page.InnerTextAsync("#model"));

        await page.FillAsync("#user", user);
        await page.ClickAsync("#go");
        await page.WaitForSelectorAsync($"body[data-shown-user='{user}']");

        Assert.Equal(apiItems, await Shown(page, "#recommendations"));
        Assert.Contains($"Item number {apiItems[0]}", await page.InnerTextAsync("#recommendations"));
        Assert.Equal(history, await Shown(page, "#history"));

        await page.ClickAsync($"#recommendations li[data-item='{apiItems[0]}']");
        await page.WaitForSelectorAsync($"body[data-shown-item='{apiItems[0]}']");
        var similar = JsonDocument.Parse(await server.Client.GetStringAsync($"/v1/items/{apiItems[0]}/similar?k=10")).RootElement
            .GetProperty("items").EnumerateArray().Select(i => i.GetProperty("item").GetString()).ToArray();
        Assert.Equal(similar, await Shown(page, "#similar"));

        var screenshot = Artefacts.PathOf("page-recommendations.png");
        await page.ScreenshotAsync(new() { Path = screenshot, FullPage = true });
        Assert.True(new FileInfo(screenshot).Length > 10_000);
    }

    [BrowserFact]
    public async Task An_unknown_user_shows_the_servers_message()
    {
        await using var server = await fixture.Start(new ServerOptions { ModelFile = fixture.LightGcnFile });
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = BrowserFactAttribute.Chromium, Headless = true, Args = ChromiumArgs });
        var page = await browser.NewPageAsync();
        await page.GotoAsync(server.Client.BaseAddress!.ToString());
        await page.WaitForSelectorAsync("body[data-ready=true]");

        await page.FillAsync("#user", "nobody-at-all");
        await page.ClickAsync("#go");

        await Assertions.Expect(page.Locator("#status")).ToContainTextAsync("User 'nobody-at-all' is not in the model's data");
        Assert.Empty(await Shown(page, "#recommendations"));
    }

    static async Task<string?[]> Shown(IPage page, string list) =>
        await page.Locator($"{list} li[data-item]").EvaluateAllAsync<string?[]>("items => items.map(li => li.dataset.item)");
}
