using System.Text.RegularExpressions;
using Conversations.ApiHost.Tests.Infrastructure;
using Conversations.ApiHost.WebConsole;

namespace Conversations.ApiHost.Tests.WebConsole;

/// <summary>
/// The console's files as HTTP sees them: served at <c>/</c> without a key, under a Content-Security-Policy that
/// forbids inline script, and taking nothing away from the API, the docs, health or the document.
/// </summary>
public sealed partial class ConsolePageTests(OfflineHostFixture fixture) : IClassFixture<OfflineHostFixture>
{
    private readonly HttpClient _anonymous = fixture.Host.Client(key: null);

    [Fact]
    public async Task The_page_and_every_file_it_loads_come_from_here_without_a_key_under_a_policy_that_forbids_inline_script()
    {
        using var page = await _anonymous.GetAsync("/");
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        AssertConsoleHeaders(page);
        var files = FileReference().Matches(html).Select(m => m.Groups["path"].Value).ToList();
        Assert.Contains("/console/app.js", files);
        Assert.Contains("/console/console.css", files);
        foreach (var file in files.Where(f => f.StartsWith("/console/", StringComparison.Ordinal)))
        {
            using var loaded = await _anonymous.GetAsync(file);
            Assert.Equal(HttpStatusCode.OK, loaded.StatusCode);
            Assert.Equal(file.EndsWith(".js", StringComparison.Ordinal) ? "text/javascript" : "text/css", loaded.Content.Headers.ContentType?.MediaType);
            AssertConsoleHeaders(loaded);
        }
    }

    [Fact]
    public async Task The_page_has_no_inline_script_or_style_and_the_scripts_never_write_markup()
    {
        var html = await _anonymous.GetStringAsync("/");

        Assert.All(Regex.Matches(html, "<script[^>]*>").Select(m => m.Value), tag => Assert.Contains("src=", tag));
        Assert.DoesNotMatch(@"\son[a-z]+\s*=", html);
        Assert.DoesNotContain("<style", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" style=", html, StringComparison.OrdinalIgnoreCase);
        foreach (var script in new[] { "app.js", "api.js", "chat.js", "admin.js", "dom.js" })
        {
            var code = await _anonymous.GetStringAsync($"/console/{script}");
            Assert.DoesNotMatch(@"innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function", code);
        }
    }

    [Theory]
    [InlineData("/docs")]
    [InlineData("/openapi/v1.json")]
    [InlineData("/health/live")]
    public async Task The_docs_the_document_and_health_are_untouched_and_carry_no_console_policy(string path)
    {
        using var response = await _anonymous.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // /docs boots Scalar with an inline script, which the console's policy would block.
        Assert.False(response.Headers.Contains("Content-Security-Policy"), $"{path} carries the console's policy");
    }

    [Fact]
    public async Task Api_routes_still_want_a_key_and_unknown_paths_are_still_404_in_the_envelope()
    {
        using var models = await _anonymous.GetAsync("/v1/models");
        using var missingFile = await _anonymous.GetAsync("/console/nothing-here.js");
        using var elsewhere = await _anonymous.GetAsync("/app.js");

        await models.AssertError(HttpStatusCode.Unauthorized, "missing_api_key");
        Assert.Equal(HttpStatusCode.NotFound, missingFile.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, elsewhere.StatusCode);
        await elsewhere.AssertError(HttpStatusCode.NotFound, "unknown_url");
    }

    private static void AssertConsoleHeaders(HttpResponseMessage response)
    {
        var policy = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Equal(ConsoleFiles.ContentSecurityPolicy, policy);
        Assert.Contains("script-src 'self';", policy);
        Assert.DoesNotContain("unsafe-inline", policy);
        Assert.DoesNotContain("unsafe-eval", policy);
        Assert.Contains("frame-ancestors 'none'", policy);
        Assert.Equal("nosniff", string.Join(",", response.Headers.GetValues("X-Content-Type-Options")));
    }

    [GeneratedRegex("""(?:src|href)="(?<path>/[^"]+)"\s*""")]
    private static partial Regex FileReference();
}
