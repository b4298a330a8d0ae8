namespace Conversations.ApiHost.Tests.Infrastructure;

/// <summary><c>/openapi/v1.json</c> as tests read it: its operations, and schemas with references followed.</summary>
public sealed class ApiDocument(JsonElement root)
{
    private const string SchemaPrefix = "#/components/schemas/";

    public JsonElement Root { get; } = root;

    public static async Task<ApiDocument> Fetch(RunningApiHost host)
    {
        using var anonymous = host.Client(key: null);
        using var response = await anonymous.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return new ApiDocument(await response.ReadJson());
    }

    /// <summary>Every operation, as (method in capitals, path, operation).</summary>
    public IEnumerable<(string Method, string Path, JsonElement Operation)> Operations =>
        Root.GetProperty("paths").EnumerateObject().SelectMany(path =>
            path.Value.EnumerateObject().Select(operation => (operation.Name.ToUpperInvariant(), path.Name, operation.Value)));

    public JsonElement Operation(string method, string path)
    {
        Assert.True(Root.GetProperty("paths").TryGetProperty(path, out var operations), $"the document has no path {path}");
        Assert.True(operations.TryGetProperty(method.ToLowerInvariant(), out var operation), $"the document has no {method} {path}");
        return operation;
    }

    /// <summary>The component a schema refers to by name, e.g. <c>ConversationObject</c>; null when it is not a reference.</summary>
    public static string? ReferenceName(JsonElement schema) =>
        schema.TryGetProperty("$ref", out var reference) && reference.GetString() is { } path && path.StartsWith(SchemaPrefix, StringComparison.Ordinal)
            ? path[SchemaPrefix.Length..]
            : null;

    /// <summary>The schema of one response's content type, e.g. the 200's <c>application/json</c>; fails the test if it is not declared.</summary>
    public static JsonElement ResponseSchema(JsonElement operation, string status, string contentType)
    {
        Assert.True(operation.GetProperty("responses").TryGetProperty(status, out var response), $"no {status} response");
        Assert.True(response.TryGetProperty("content", out var content), $"the {status} response has no content");
        Assert.True(content.TryGetProperty(contentType, out var media), $"the {status} response has no {contentType} content");
        return media.GetProperty("schema");
    }

    public JsonElement Component(string name)
    {
        Assert.True(Root.GetProperty("components").GetProperty("schemas").TryGetProperty(name, out var schema), $"no component schema {name}");
        return schema;
    }

    /// <summary>A schema with its reference followed, and a nullable one's <c>oneOf: [null, $ref]</c> unwrapped.</summary>
    public JsonElement Resolve(JsonElement schema)
    {
        if (schema.TryGetProperty("oneOf", out var alternatives)
            && alternatives.EnumerateArray().Where(a => ReferenceName(a) is not null).ToList() is [var only])
        {
            schema = only;
        }

        return ReferenceName(schema) is { } name ? Component(name) : schema;
    }

    public static IReadOnlyList<string> PropertyNames(JsonElement schema) =>
        schema.TryGetProperty("properties", out var properties) ? [.. properties.EnumerateObject().Select(p => p.Name)] : [];

    public static IReadOnlyList<string> Required(JsonElement schema) =>
        schema.TryGetProperty("required", out var required) ? [.. required.EnumerateArray().Select(r => r.GetString()!)] : [];
}
