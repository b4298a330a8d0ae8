using Conversations.ApiHost.Tests.Infrastructure;

namespace Conversations.ApiHost.Tests.Conversations;

/// <summary>The routes are described as an OpenAPI document that tools can read without a key.</summary>
public sealed class ApiDescriptionTests(OfflineHostFixture fixture) : IClassFixture<OfflineHostFixture>
{
    [Fact]
    public async Task The_openapi_document_lists_the_public_routes()
    {
        using var anonymous = fixture.Host.Client(key: null);

        using var response = await anonymous.GetAsync("/openapi/v1.json");
        var document = await response.ReadJson();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("3.", document.GetProperty("openapi").GetString());
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/v1/conversations", paths);
        Assert.Contains("/v1/conversations/{id}/messages", paths);
        Assert.Contains("/v1/chat/completions", paths);
        Assert.Contains("/v1/models", paths);
        Assert.Contains("/v1/admin/users", paths);
    }
}
