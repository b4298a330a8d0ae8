using System.Text.Json.Nodes;
using Conversations.Upstream;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace Conversations.ApiHost.Documentation;

/// <summary>
/// A request body that works as it is, for each route that reads one, so that trying a route in the docs
/// starts from a request the service accepts. Where a body names a model it is this service's default
/// model, so the examples work on the embedded default (the offline model) as on a real upstream.
/// </summary>
public sealed class RequestExamples(IOptions<UpstreamOptions> upstream) : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (operation.OperationId is not { } name
            || Example(name, upstream.Value.DefaultModel) is not { } example
            || operation.RequestBody?.Content?.TryGetValue("application/json", out var body) is not true)
        {
            return Task.CompletedTask;
        }

        body.Example = JsonNode.Parse(example);
        return Task.CompletedTask;
    }

    /// <summary>The example body of the route named <paramref name="operationId"/>, or null when it reads none.</summary>
    public static string? Example(string operationId, string model) => operationId switch
    {
        "CreateConversation" => """{"metadata": {"topic": "demo"}, "settings": {"instructions": "You are a helpful assistant."}}""",
        "UpdateConversation" => """{"metadata": {"title": "Trip to Lisbon"}, "settings": {"temperature": 0.7}}""",
        "SendMessage" => """{"content": "Say this is a test!"}""",
        "CreateConversationItems" => """{"items": [{"type": "message", "role": "user", "content": [{"type": "input_text", "text": "Hello!"}]}]}""",
        "CreateResponse" => $$"""{"model": "{{model}}", "input": "Say this is a test!"}""",
        "CompactResponse" => $$"""{"model": "{{model}}", "input": [{"role": "user", "content": "My name is Ada."}, {"role": "assistant", "content": "Hello, Ada!"}]}""",
        "CountResponseInputTokens" => $$"""{"model": "{{model}}", "input": "How many tokens is this?"}""",
        "CreateChatCompletion" => $$"""{"model": "{{model}}", "messages": [{"role": "user", "content": "Say this is a test!"}]}""",
        "CreateUser" => """{"name": "alice", "limits": {"requests_per_minute": 60, "tokens_per_day": 200000, "concurrent_streams": 2}}""",
        _ => null,
    };
}
