using Conversations.ApiHost.Tests.Infrastructure;
using Conversations.Testing.FakeUpstream;

namespace Conversations.ApiHost.Tests.Compatibility;

/// <summary><c>GET /v1/models</c> and <c>GET /v1/models/{id}</c> in OpenAI's shapes: the upstream's list, cached, plus <c>offline</c> when it is on.</summary>
[Collection(CompatibilityCollection.Name)]
public sealed class ModelListTests(CompatibilityHost fixture) : IDisposable
{
    private readonly FakeOpenAiServer _upstream = fixture.Upstream;
    private readonly HttpClient _client = fixture.Host.Client();

    public void Dispose()
    {
        _upstream.ClearScript();
        _client.Dispose();
    }

    [Fact]
    public async Task The_list_is_the_upstreams_models_then_offline_in_openais_shape()
    {
        using var response = await _client.GetAsync("/v1/models");

        var list = await response.ReadJson();
        Assert.True(response.StatusCode == HttpStatusCode.OK, list.ToString());
        Assert.Equal("list", list.GetProperty("object").GetString());
        var models = list.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(["gpt-4o-mini", "gpt-4o", CompatibilityHost.SlashModel, "offline"], models.Select(m => m.GetProperty("id").GetString()));
        Assert.All(models, m =>
        {
            Assert.Equal("model", m.GetProperty("object").GetString());
            Assert.True(m.GetProperty("created").GetInt64() > 0);
            Assert.False(string.IsNullOrEmpty(m.GetProperty("owned_by").GetString()));
        });
    }

    [Fact]
    public async Task Two_listings_within_the_cache_window_ask_the_upstream_at_most_once()
    {
        var before = ModelRequests();

        using (var first = await _client.GetAsync("/v1/models"))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        using (var second = await _client.GetAsync("/v1/models"))
        {
            Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        }

        Assert.InRange(ModelRequests() - before, 0, 1);
        Assert.True(ModelRequests() >= 1, "the upstream was never asked for its models");
    }

    [Theory]
    [InlineData("gpt-4o")]
    [InlineData(CompatibilityHost.SlashModel)]
    [InlineData("offline")]
    public async Task A_listed_model_is_found_by_its_id_slashes_included(string id)
    {
        using var response = await _client.GetAsync($"/v1/models/{id}");

        var model = await response.ReadJson();
        Assert.True(response.StatusCode == HttpStatusCode.OK, model.ToString());
        Assert.Equal(id, model.GetProperty("id").GetString());
        Assert.Equal("model", model.GetProperty("object").GetString());
        Assert.True(model.GetProperty("created").GetInt64() > 0);
        Assert.False(string.IsNullOrEmpty(model.GetProperty("owned_by").GetString()));
    }

    [Theory]
    [InlineData("meta-llama%2FLlama-3-8B")]
    [InlineData("meta-llama%2fLlama-3-8B")]
    public async Task A_model_id_with_an_encoded_slash_as_sdks_send_it_is_found(string path)
    {
        using var response = await _client.GetAsync($"/v1/models/{path}");

        var model = await response.ReadJson();
        Assert.True(response.StatusCode == HttpStatusCode.OK, model.ToString());
        Assert.Equal(CompatibilityHost.SlashModel, model.GetProperty("id").GetString());
    }

    [Theory]
    [InlineData("gpt-5-imaginary")]
    [InlineData("meta-llama/Llama-9-1T")]
    public async Task An_unknown_model_is_404_model_not_found(string id)
    {
        using var response = await _client.GetAsync($"/v1/models/{id}");

        var error = await response.AssertError(HttpStatusCode.NotFound, "model_not_found");
        Assert.Contains(id, error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_model_id_with_a_slash_is_sent_to_the_upstream_as_written()
    {
        var before = _upstream.ChatRequests.Count;

        using var response = await _client.PostChat($$"""{"model":"{{CompatibilityHost.SlashModel}}","messages":[{"role":"user","content":"Say hi"}]}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(CompatibilityHost.SlashModel, _upstream.ChatRequests[before].Json.GetProperty("model").GetString());
    }

    [Fact]
    public async Task The_offline_model_answers_beside_the_upstream_without_reaching_it()
    {
        var before = _upstream.ChatRequests.Count;

        using var response = await _client.PostChat("""{"model":"offline","messages":[{"role":"user","content":"hello"}]}""");

        var json = await response.ReadJson();
        Assert.True(response.StatusCode == HttpStatusCode.OK, json.ToString());
        Assert.Equal("offline", json.GetProperty("model").GetString());
        Assert.Equal(before, _upstream.ChatRequests.Count);
    }

    private int ModelRequests() => _upstream.Requests.Count(r => r.Path == "/v1/models");
}
