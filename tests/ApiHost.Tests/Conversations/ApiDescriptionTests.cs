using Conversations.ApiHost.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;

namespace Conversations.ApiHost.Tests.Conversations;

/// <summary>
/// The routes are described as an OpenAPI document that tools can read without a key: each route with
/// what to send, what a success answers (in the wire's own names), and every error as OpenAI's envelope.
/// </summary>
public sealed class ApiDescriptionTests(OfflineHostFixture fixture) : IClassFixture<OfflineHostFixture>
{
    private const string ErrorEnvelope = "ErrorEnvelope";

    /// <summary>Each route: its success status and body, the body it reads (if any), and error statuses it must declare.</summary>
    public static TheoryData<string, string, int, string, string?, int[]> Routes => new()
    {
        { "POST", "/v1/conversations", 200, "ConversationObject", "CreateConversationBody", [400, 413] },
        { "GET", "/v1/conversations", 200, "ListObjectOfConversationObject", null, [400] },
        { "GET", "/v1/conversations/{id}", 200, "ConversationObject", null, [400, 404] },
        { "POST", "/v1/conversations/{id}", 200, "ConversationObject", "UpdateConversationBody", [400, 404, 413] },
        { "DELETE", "/v1/conversations/{id}", 200, "DeletedObject", null, [400, 404, 409] },
        { "GET", "/v1/conversations/{id}/items", 200, "ListObjectOfItemObject", null, [400, 404] },
        { "POST", "/v1/conversations/{id}/items", 200, "ListObjectOfItemObject", "AppendItemsBody", [400, 404, 409, 413] },
        { "GET", "/v1/conversations/{id}/items/{itemId}", 200, "ItemObject", null, [400, 404] },
        { "DELETE", "/v1/conversations/{id}/items/{itemId}", 200, "ConversationObject", null, [400, 404, 409] },
        { "GET", "/v1/conversations/{id}/export", 200, "ConversationExportObject", null, [400, 404] },
        { "POST", "/v1/responses", 200, "ResponseObject", "CreateResponseBody", [400, 404, 409, 413, 429, 502, 503, 504] },
        { "GET", "/v1/responses/{id}", 200, "ResponseObject", null, [400, 404] },
        { "DELETE", "/v1/responses/{id}", 200, "DeletedObject", null, [400, 404] },
        { "GET", "/v1/responses/{id}/input_items", 200, "ListObjectOfItemObject", null, [400, 404] },
        { "POST", "/v1/responses/{id}/cancel", 200, "ResponseObject", null, [400, 404] },
        { "POST", "/v1/responses/input_tokens", 200, "InputTokensObject", "CreateResponseBody", [400, 404, 413] },
        { "POST", "/v1/conversations/{id}/messages", 200, "ChatCompletionObject", "SendMessageBody", [400, 404, 409, 413, 422, 429, 502, 503, 504] },
        { "POST", "/v1/chat/completions", 200, "ChatCompletionObject", "ChatCompletionBody", [400, 404, 409, 413, 422, 429, 502, 503, 504] },
        { "GET", "/v1/models", 200, "ModelListObject", null, [502] },
        { "GET", "/v1/models/{id}", 200, "ModelObject", null, [404, 502] },
        { "GET", "/v1/usage", 200, "UsageReportObject", null, [] },
        { "POST", "/v1/admin/users", 201, "UserObject", "CreateUserBody", [400, 413] },
        { "GET", "/v1/admin/users", 200, "ListObjectOfUserObject", null, [] },
        { "POST", "/v1/admin/users/{id}/keys", 201, "ApiKeyObject", null, [400, 404] },
        { "GET", "/v1/admin/users/{id}/keys", 200, "ListObjectOfApiKeyObject", null, [400, 404] },
        { "DELETE", "/v1/admin/keys/{keyId}", 200, "ApiKeyObject", null, [400, 404] },
        { "GET", "/v1/admin/usage", 200, "ListObjectOfUsageReportObject", null, [] },
    };

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

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task A_route_describes_its_request_its_success_body_and_its_errors(
        string method, string path, int success, string successSchema, string? requestSchema, int[] errors)
    {
        var document = await ApiDocument.Fetch(fixture.Host);

        var operation = document.Operation(method, path);

        Assert.Equal(successSchema, ApiDocument.ReferenceName(ApiDocument.ResponseSchema(operation, $"{success}", "application/json")));
        if (requestSchema is null)
        {
            Assert.False(operation.TryGetProperty("requestBody", out _), $"{method} {path} reads no body, but the document shows one");
        }
        else
        {
            var body = operation.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema");
            Assert.Equal(requestSchema, ApiDocument.ReferenceName(body));
        }

        var declared = operation.GetProperty("responses").EnumerateObject().Select(r => int.Parse(r.Name)).ToList();
        Assert.All(errors.Concat([401, 403, 500]), status => Assert.Contains(status, declared));
    }

    /// <summary>
    /// What a new route must have, checked on every route in the document (so on routes added later too):
    /// a name, a summary and a tag; a success body that is a named wire schema; every 4xx and 5xx as the
    /// error envelope, 401 and 500 among them; and no route of the service missing from the document.
    /// </summary>
    [Fact]
    public async Task Every_route_is_named_summarised_and_answers_a_wire_schema_or_the_error_envelope()
    {
        var document = await ApiDocument.Fetch(fixture.Host);
        var operations = document.Operations.Where(o => o.Path.StartsWith("/v1/", StringComparison.Ordinal)).ToList();

        Assert.Equal(operations.Count, operations.Select(o => o.Operation.GetProperty("operationId").GetString()).Distinct().Count());
        foreach (var (method, path, operation) in operations)
        {
            var route = $"{method} {path}";
            Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("operationId").GetString()), $"{route} has no name");
            Assert.True(operation.TryGetProperty("summary", out var summary) && summary.GetString()!.Length > 0, $"{route} has no summary");
            Assert.True(operation.TryGetProperty("tags", out var tags) && tags.GetArrayLength() > 0, $"{route} has no tag");

            var responses = operation.GetProperty("responses").EnumerateObject().ToList();
            var successes = responses.Where(r => r.Name.StartsWith('2')).ToList();
            Assert.True(successes.Count > 0, $"{route} declares no success");
            Assert.All(successes, ok => Assert.NotNull(ApiDocument.ReferenceName(ApiDocument.ResponseSchema(operation, ok.Name, "application/json"))));

            var failures = responses.Where(r => r.Name[0] is '4' or '5').ToList();
            Assert.Contains(failures, r => r.Name == "401");
            Assert.Contains(failures, r => r.Name == "500");
            Assert.All(failures, failure => Assert.True(
                ApiDocument.ReferenceName(ApiDocument.ResponseSchema(operation, failure.Name, "application/json")) == ErrorEnvelope,
                $"{route} answers {failure.Name} with something other than the error envelope"));
        }

        var served = fixture.Host.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/v1", StringComparison.Ordinal) == true)
            .SelectMany(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Select(m => $"{m} {Normalized(e.RoutePattern.RawText!)}") ?? [])
            .ToHashSet();
        Assert.Equal(served.Order(), operations.Select(o => $"{o.Method} {o.Path}").Order());
    }

    [Fact]
    public async Task The_wire_schemas_use_the_names_and_numbers_on_the_wire()
    {
        var document = await ApiDocument.Fetch(fixture.Host);

        var conversation = document.Component("ConversationObject");
        Assert.Equal(["id", "object", "created_at", "metadata", "settings", "usage"], ApiDocument.PropertyNames(conversation));
        Assert.Equal("integer", conversation.GetProperty("properties").GetProperty("created_at").GetProperty("type").GetString());
        // truncation came with context windows.
        Assert.Equal(
            ["model", "instructions", "temperature", "top_p", "max_tokens", "truncation"],
            ApiDocument.PropertyNames(document.Resolve(conversation.GetProperty("properties").GetProperty("settings"))));
        Assert.Equal(
            ["requests", "prompt_tokens", "completion_tokens", "total_tokens"],
            ApiDocument.PropertyNames(document.Resolve(conversation.GetProperty("properties").GetProperty("usage"))));

        var envelope = document.Component(ErrorEnvelope);
        Assert.Equal(["error"], ApiDocument.PropertyNames(envelope));
        var error = document.Resolve(envelope.GetProperty("properties").GetProperty("error"));
        Assert.Equal(["message", "type", "param", "code"], ApiDocument.PropertyNames(error));
        Assert.Equal(["message", "type", "param", "code"], ApiDocument.Required(error));

        // A field the wire leaves out when null is not promised in every answer.
        Assert.DoesNotContain("key", ApiDocument.Required(document.Component("ApiKeyObject")));
        Assert.Contains("key", ApiDocument.PropertyNames(document.Component("ApiKeyObject")));
    }

    [Theory]
    [InlineData("/v1/conversations/{id}/messages")]
    [InlineData("/v1/chat/completions")]
    public async Task A_route_that_streams_declares_its_events_beside_the_json_answer(string path)
    {
        var document = await ApiDocument.Fetch(fixture.Host);

        var operation = document.Operation("POST", path);

        Assert.Equal("ChatCompletionObject", ApiDocument.ReferenceName(ApiDocument.ResponseSchema(operation, "200", "application/json")));
        var events = ApiDocument.ResponseSchema(operation, "200", "text/event-stream");
        Assert.Equal("ChunkObject", ApiDocument.ReferenceName(events));
        var chunk = document.Resolve(events);
        Assert.Equal(["id", "object", "created", "model", "choices", "usage"], ApiDocument.PropertyNames(chunk));
        // Every chunk but the last carries "usage": null.
        var usage = chunk.GetProperty("properties").GetProperty("usage").GetProperty("oneOf").EnumerateArray().ToList();
        Assert.Contains(usage, a => ApiDocument.ReferenceName(a) == "UsageObject");
        Assert.Contains(usage, a => a.TryGetProperty("type", out var type) && type.GetString() == "null");
    }

    [Theory]
    [InlineData("/v1/conversations")]
    [InlineData("/v1/conversations/{id}/items")]
    public async Task A_list_route_declares_its_paging_query(string path)
    {
        var document = await ApiDocument.Fetch(fixture.Host);

        var parameters = document.Operation("GET", path).GetProperty("parameters").EnumerateArray()
            .Where(p => p.GetProperty("in").GetString() == "query")
            .Select(p => p.GetProperty("name").GetString());

        Assert.Equal(["after", "limit", "order"], parameters.Order());
    }

    [Fact]
    public async Task The_document_describes_bearer_keys_and_requires_one_on_every_route_that_needs_it()
    {
        var document = await ApiDocument.Fetch(fixture.Host);

        var scheme = document.Root.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
        Assert.Equal("http", scheme.GetProperty("type").GetString());
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());
        Assert.Contains("admin", scheme.GetProperty("description").GetString());
        var keyed = fixture.Host.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAuthorizeData>() is not null)
            .SelectMany(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Select(m => $"{m} {Normalized(e.RoutePattern.RawText!)}") ?? [])
            .ToHashSet();
        Assert.NotEmpty(keyed);
        foreach (var (method, path, operation) in document.Operations)
        {
            var requires = operation.TryGetProperty("security", out var security)
                && security.EnumerateArray().Any(requirement => requirement.TryGetProperty("Bearer", out _));
            Assert.True(requires == keyed.Contains($"{method} {path}"), $"{method} {path} {(requires ? "asks for" : "does not ask for")} a key in the document, but the route {(requires ? "needs none" : "needs one")}");
        }
    }

    /// <summary>Each route that reads a body shows an example of it, and the example works as it is, on the embedded default.</summary>
    [Fact]
    public async Task Every_request_body_has_an_example_its_route_accepts()
    {
        var document = await ApiDocument.Fetch(fixture.Host);
        var user = fixture.Host.Client();
        var admin = fixture.Host.Client(TestKeys.Admin);
        var conversation = await user.CreateConversation();

        var bodies = document.Operations.Where(o => o.Operation.TryGetProperty("requestBody", out _)).ToList();
        Assert.NotEmpty(bodies);
        foreach (var (method, path, operation) in bodies)
        {
            Assert.True(
                operation.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").TryGetProperty("example", out var example),
                $"{method} {path} shows no example body");
            var caller = path.StartsWith("/v1/admin/", StringComparison.Ordinal) ? admin : user;
            using var request = new HttpRequestMessage(new HttpMethod(method), path.Replace("{id}", conversation, StringComparison.Ordinal))
            {
                Content = Api.Json(example.GetRawText()),
            };
            using var response = await caller.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"{method} {path} refused its own example with {(int)response.StatusCode}: {body}");
        }
    }

    [Fact]
    public async Task The_docs_page_is_served_without_a_key_with_its_script_from_this_service_and_reads_the_document()
    {
        using var anonymous = fixture.Host.Client(key: null);

        using var page = await anonymous.GetAsync("/docs");
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("openapi/v1.json", html);
        Assert.Contains("Bearer", html);
        // Nor does it fetch Scalar's web fonts or report to Scalar: a pasted key and the page's use stay here.
        Assert.Contains("\"withDefaultFonts\":false", html);
        Assert.Contains("\"telemetry\":false", html);
        // Every script the page loads is served here (no CDN), so the docs work on a machine without internet.
        var scripts = System.Text.RegularExpressions.Regex.Matches(html, "<script[^>]*\\bsrc=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(scripts);
        foreach (var script in scripts)
        {
            Assert.False(Uri.TryCreate(script, UriKind.Absolute, out _), $"the docs page loads {script} from elsewhere");
            using var loaded = await anonymous.GetAsync(new Uri(page.RequestMessage!.RequestUri!, script));
            Assert.Equal(HttpStatusCode.OK, loaded.StatusCode);
            Assert.Equal("text/javascript", loaded.Content.Headers.ContentType?.MediaType);
        }
    }

    /// <summary>
    /// The bodies are read by hand, so their documented shape could drift from the parsers. Each field a
    /// body schema shows (nested ones too), sent with a value of the wrong type, must be refused as a bad
    /// value, never as an unknown field.
    /// </summary>
    [Fact]
    public async Task Every_field_a_request_body_shows_is_one_its_route_reads()
    {
        var document = await ApiDocument.Fetch(fixture.Host);
        var user = fixture.Host.Client();
        var admin = fixture.Host.Client(TestKeys.Admin);
        var conversation = await user.CreateConversation();
        var routes = new (HttpClient Caller, string Path, string Schema)[]
        {
            (user, "/v1/conversations", "CreateConversationBody"),
            (user, $"/v1/conversations/{conversation}", "UpdateConversationBody"),
            (user, $"/v1/conversations/{conversation}/messages", "SendMessageBody"),
            (user, $"/v1/conversations/{conversation}/items", "AppendItemsBody"),
            (user, "/v1/responses", "CreateResponseBody"),
            (admin, "/v1/admin/users", "CreateUserBody"),
        };

        foreach (var (caller, path, schema) in routes)
        {
            var fields = Fields(document, document.Component(schema), []).ToList();
            Assert.NotEmpty(fields);
            foreach (var field in fields)
            {
                using var response = await caller.PostAsync(path, Api.Json(WrongTypeAt(field)));
                var body = await response.Content.ReadAsStringAsync();
                Assert.False(
                    response.StatusCode == HttpStatusCode.BadRequest && JsonDocument.Parse(body).RootElement.GetProperty("error").GetProperty("code").GetString() == "unknown_parameter",
                    $"POST {path} refuses '{string.Join('.', field)}' as unknown, but {schema} shows it: {body}");
            }
        }
    }

    /// <summary>Each field of a body schema as its path from the top, an array's element written <c>[]</c>.</summary>
    private static IEnumerable<IReadOnlyList<string>> Fields(ApiDocument document, JsonElement schema, IReadOnlyList<string> at)
    {
        foreach (var property in schema.TryGetProperty("properties", out var properties) ? properties.EnumerateObject() : [])
        {
            IReadOnlyList<string> path = [.. at, property.Name];
            yield return path;
            var value = document.Resolve(property.Value);
            var (nested, under) = value.TryGetProperty("items", out var items) ? (document.Resolve(items), (IReadOnlyList<string>)[.. path, "[]"]) : (value, path);
            foreach (var inner in Fields(document, nested, under))
            {
                yield return inner;
            }
        }
    }

    /// <summary>A body with <c>[[]]</c> (the wrong type for every field) at <paramref name="path"/>.</summary>
    private static string WrongTypeAt(IReadOnlyList<string> path) =>
        path.Reverse().Aggregate("[[]]", (inner, segment) => segment == "[]" ? $"[{inner}]" : $"{{{JsonSerializer.Serialize(segment)}:{inner}}}");

    /// <summary>A route template as the document writes it: <c>{*id}</c> as <c>{id}</c>, no trailing slash.</summary>
    private static string Normalized(string template) => template.Replace("{*", "{", StringComparison.Ordinal).TrimEnd('/');
}
