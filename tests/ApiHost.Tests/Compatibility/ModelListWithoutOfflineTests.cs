using Conversations.ApiHost.Tests.Infrastructure;

namespace Conversations.ApiHost.Tests.Compatibility;

/// <summary>With an upstream configured and the offline model not asked for, the list is the upstream's alone.</summary>
public sealed class ModelListWithoutOfflineTests(UpstreamHostFixture fixture) : IClassFixture<UpstreamHostFixture>
{
    [Fact]
    public async Task The_list_is_exactly_the_upstreams()
    {
        using var client = fixture.Host.Client();

        var list = await client.GetFromJsonAsync<JsonElement>("/v1/models");

        Assert.Equal(fixture.Upstream.Models, list.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()!));
    }
}
