using Conversations.ApiHost.Tests.Infrastructure;
using Conversations.Core.Wire;

namespace Conversations.ApiHost.Tests.Conversations;

/// <summary>
/// Success bodies are typed results that the framework writes: with the wire JSON's settings they are the
/// very bytes <see cref="WireJson.Api"/> writes, quotes, apostrophes and accents left as they are.
/// </summary>
public sealed class SuccessBodyTests(OfflineHostFixture fixture) : IClassFixture<OfflineHostFixture>
{
    private const string Note = "café \\\"quoted\\\" it's <b> & ü";

    [Fact]
    public async Task A_created_conversation_is_written_byte_for_byte_as_the_wire_json()
    {
        var client = fixture.Host.Client();

        using var response = await client.PostAsync("/v1/conversations", Api.Json($$$"""{"metadata":{"note":"{{{Note}}}"}}"""));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($"\"note\":\"{Note}\"", body, StringComparison.Ordinal);
        Assert.Equal(Wire(body, WireJson.Default.ConversationObject), body);
    }

    [Fact]
    public async Task A_listed_conversation_is_written_byte_for_byte_as_the_wire_json()
    {
        var client = fixture.Host.Client();
        await client.CreateConversation($$$"""{"metadata":{"note":"{{{Note}}}"}}""");

        using var response = await client.GetAsync("/v1/conversations?limit=1");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($"\"note\":\"{Note}\"", body, StringComparison.Ordinal);
        Assert.Equal(Wire(body, WireJson.Default.ListObjectConversationObject), body);
    }

    /// <summary>The body read back into its wire record and written again as the wire JSON writes it.</summary>
    private static string Wire<T>(string body, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) =>
        Encoding.UTF8.GetString(WireJson.Serialize(JsonSerializer.Deserialize(body, type)!));
}
