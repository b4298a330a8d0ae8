using System.Net;
using System.Text.Json;
using Xunit;

namespace Conversations.Testing.Health;

/// <summary>A health route's answer as an orchestrator sees it: the HTTP status, the overall status, each check's, and the body as sent.</summary>
public sealed record HealthReport(HttpStatusCode Code, string Status, IReadOnlyDictionary<string, string> Checks, string Body)
{
    /// <summary>GETs <paramref name="path"/> (<c>/health/ready</c> or <c>/health/live</c>), which answers JSON whatever its status.</summary>
    public static async Task<HealthReport> Fetch(HttpClient anonymous, string path)
    {
        using var response = await anonymous.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var json = JsonDocument.Parse(body).RootElement;
        var checks = json.GetProperty("checks").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("status").GetString()!);
        return new HealthReport(response.StatusCode, json.GetProperty("status").GetString()!, checks, body);
    }

    public override string ToString() => $"{(int)Code} {Body}";
}
