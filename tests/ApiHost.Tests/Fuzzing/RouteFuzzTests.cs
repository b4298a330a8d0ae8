using System.Collections.Immutable;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Conversations.ApiHost.Tests.Infrastructure;
using Conversations.Testing.Fuzzing;
using CsCheck;

namespace Conversations.ApiHost.Tests.Fuzzing;

/// <summary>
/// Hostile requests on every route of the host's own <c>/openapi/v1.json</c>: as the owner, another user,
/// the admin, an unknown key, no key or a malformed header; with the route's example body bent by
/// <see cref="BodyMutations"/> (wrong types, nulls, missing and extra fields, huge and negative numbers,
/// NaN-like strings, deep nesting, very long strings, invalid UTF-8 and lone surrogates, duplicate keys,
/// truncation, garbage), malformed and foreign ids in the path and the body, odd query strings and odd
/// content types. Every answer must be a 2xx or a 4xx in OpenAI's error envelope, within a deadline, with no
/// stack trace or exception name, and with no other user's data; afterwards the service still serves a turn.
/// <c>CONVERSATIONS_FUZZ_SCALE</c> runs more cases; CsCheck prints the seed that reproduces a failure.
/// </summary>
public sealed partial class RouteFuzzTests(FuzzWorld world, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<FuzzWorld>
{
    /// <summary>Answers seen per route and status, to show the run went past the front door.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Route, int Status), int> _answers = new();

    private static readonly long Iterations = FuzzScale.Iterations(4_000);

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private static readonly string[] Malformed =
    [
        "x", "conv_", "resp_", "msg_", "%00", "%ED%A0%80", "%FF", "..%2F..%2Fadmin%2Fusers", new string('a', 3000), "conv_%C3%A9", "%20",
        "null", "-1", "conv_0123456789abcdef0123456789abcdef", "resp_0123456789abcdef0123456789abcdef",
        "msg_0123456789abcdef0123456789abcdef", "user_default", "key_0123456789abcdef", "%F0%9F%98%80",
    ];

    private static readonly string[] QueryNames =
        ["limit", "order", "after", "format", "stream", "starting_after", "include[]", "include", "", "%00", "a[b]", "limit", "LIMIT"];

    private static readonly string[] QueryValues =
    [
        "", "0", "1", "-1", "20", "100", "101", "1e2", "NaN", "99999999999999999999", "asc", "desc", "true", "false", "json", "markdown",
        "%00", "%FF", "%ED%A0%80", "conv_", "@own_item@", "@foreign_item@", "@own_response@", "@foreign_conversation@",
        new string('a', 5000), "%", "%zz", "a%26b", "=", "message.output_text.logprobs", "reasoning.encrypted_content",
    ];

    /// <summary>
    /// Valid bodies beyond the document's one example that name the caller's own and another user's
    /// resources, so that a body's ids are tried as well as the path's.
    /// </summary>
    private static readonly Dictionary<string, string[]> MoreExamples = new()
    {
        ["/v1/responses"] = Naming("{\"model\":\"offline\",\"input\":\"Hi\""),
        ["/v1/responses/input_tokens"] = Naming("{\"model\":\"offline\",\"input\":\"Hi\""),
        ["/v1/responses/compact"] =
        [
            """{"conversation":"@own_conversation@"}""", """{"conversation":"@foreign_conversation@"}""",
            """{"previous_response_id":"@foreign_response@"}""", """{"previous_response_id":"@own_response@","input":[{"role":"user","content":"And?"}]}""",
        ],
        ["/v1/conversations/{id}/messages"] = ["""{"content":"Hi","stream":true}""", """{"content":"Hi","model":"offline","max_tokens":1}"""],
        ["/v1/conversations"] = ["""{"items":[{"type":"message","role":"user","content":"Hi"}],"settings":{"truncation":"auto"}}"""],
        ["/v1/conversations/{id}/items"] = ["""{"items":[{"type":"function_call_output","call_id":"call_1","output":"ok"}]}"""],
        ["/v1/chat/completions"] = ["""{"model":"offline","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"Hi"}]}"""],
    };

    /// <summary><paramref name="start"/> (an object without its closing brace) naming each kind of resource.</summary>
    private static string[] Naming(string start) =>
    [
        start + ",\"conversation\":\"@own_conversation@\"}",
        start + ",\"conversation\":\"@foreign_conversation@\"}",
        start + ",\"previous_response_id\":\"@own_response@\",\"stream\":true}",
        start + ",\"previous_response_id\":\"@foreign_response@\"}",
        start + ",\"conversation\":\"@own_conversation@\",\"truncation\":\"auto\",\"store\":false}",
    ];

    private static readonly string?[] ContentTypes =
    [
        "application/json", "application/json", "application/json", "application/json; charset=utf-8", "text/plain", null,
        "application/x-www-form-urlencoded", "application/json; charset=utf-16", "multipart/form-data; boundary=x", "*/*",
    ];

    private static readonly Gen<string> Query = Gen.Frequency(
        (8, Gen.Const("")),
        (6, Gen.Select(Gen.Int[0, QueryNames.Length - 1], Gen.Int[-1, QueryValues.Length - 1], (name, value) =>
                value < 0 ? QueryNames[name] : $"{QueryNames[name]}={QueryValues[value]}")
            .Array[1, 4].Select(pairs => "?" + string.Join('&', pairs))),
        (1, Gen.OneOf("?", "?&&", "?=", "?&=&", "?limit", "?%", "?limit=1&limit=2", "?order=asc&order=desc", "?#frag", "?a=1;b=2")));

    private static readonly Gen<FuzzRequest> Requests = Gen.Select(
        Gen.Int[0, 1_000],
        Gen.Frequency((8, Gen.Const(FuzzKey.Owner)), (4, Gen.Const(FuzzKey.Stranger)), (1, Gen.Const(FuzzKey.Admin)),
            (1, Gen.Const(FuzzKey.Unknown)), (1, Gen.Const(FuzzKey.None)), (1, Gen.Const(FuzzKey.Malformed))),
        Gen.Int[0, 1_000].Array[2].Select(picks => picks.ToImmutableArray()),
        Query,
        Gen.Int[0, 10],
        // A quarter of the bodies are the route's example as it is, so the routes are also reached past validation.
        Gen.Frequency((1, Gen.Const(ImmutableArray<BodyMutation>.Empty)), (3, BodyMutations.Any)),
        Gen.Int[0, ContentTypes.Length - 1],
        (operation, key, picks, query, example, body, contentType) => new FuzzRequest(operation, key, picks, query, example, body, contentType));

    [GeneratedRegex(@"\b[A-Z][A-Za-z]*Exception\b|   at |\bSystem\.[A-Z]\w+\.\w+")]
    private static partial Regex InternalsLeak();

    [Fact]
    public async Task Every_route_answers_hostile_requests_with_a_2xx_or_an_OpenAI_error_and_never_another_users_data()
    {
        Assert.True(world.Operations.Length >= 20, $"only {world.Operations.Length} routes in the document");

        await Requests.SampleAsync(Check, iter: Iterations, threads: 2, print: Describe);

        foreach (var route in _answers.GroupBy(a => a.Key.Route).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"{route.Key}: {string.Join(", ", route.OrderBy(a => a.Key.Status).Select(a => $"{a.Key.Status}×{a.Value}"))}");
        }

        // Most routes must have been answered with success at least once, or the run never got past validation.
        var succeeded = _answers.Keys.Where(a => a.Status is >= 200 and < 300).Select(a => a.Route).Distinct().Count();
        Assert.True(succeeded >= world.Operations.Length / 2, $"only {succeeded} of {world.Operations.Length} routes ever succeeded");

        // Afterwards the service still serves a normal turn, and the stranger's data is as it was.
        using var owner = world.Host.Client(world.Owner.Key);
        var conversationId = await owner.CreateConversation();
        var reply = await owner.Turn(conversationId, "Say this is a test!");
        Assert.False(string.IsNullOrEmpty(reply.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()));
        using var stranger = world.Host.Client(world.Stranger.Key);
        using var listed = await stranger.GetAsync("/v1/conversations?limit=100");
        Assert.Contains(world.StrangerSecret, await listed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task Check(FuzzRequest fuzz)
    {
        var (method, target, body, contentType) = Build(fuzz);
        using var request = new HttpRequestMessage(new HttpMethod(method), target);
        var path = Cut(target);
        Authorize(request, fuzz.Key);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            if (contentType is not null)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }
        }

        using var client = world.Host.Client(key: null);
        using var deadline = new CancellationTokenSource(Deadline);
        HttpResponseMessage response;
        string text;
        try
        {
            response = await client.SendAsync(request, deadline.Token);
            text = await response.Content.ReadAsStringAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new Xunit.Sdk.XunitException($"{method} {path} got no whole answer within {Deadline.TotalSeconds} s");
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            var (_, route, _) = world.Operations[fuzz.Operation % world.Operations.Length];
            _answers.AddOrUpdate(($"{method} {route}", status), 1, (_, count) => count + 1);
            Assert.True(status is >= 200 and < 300 or >= 400 and < 500, $"{method} {path} answered {status}: {Cut(text)}");
            Assert.False(InternalsLeak().IsMatch(text), $"{method} {path} answered {status} with internals: {Cut(text)}");
            if (status >= 400 && !RefusedByKestrel(response, text))
            {
                AssertEnvelope(response, text, $"{method} {path} answered {status}");
            }

            foreach (var secret in SecretsHiddenFrom(fuzz.Key))
            {
                Assert.False(text.Contains(secret, StringComparison.Ordinal), $"{method} {path} as {fuzz.Key} answered {status} with another user's data: {Cut(text)}");
            }

            await world.Replenish(fuzz.Key, method, path, response.StatusCode);
        }
    }

    /// <summary>The request a <see cref="FuzzRequest"/> stands for: method, path and query, body, content type.</summary>
    private (string Method, string Path, byte[]? Body, string? ContentType) Build(FuzzRequest fuzz)
    {
        var (method, template, operation) = world.Operations[fuzz.Operation % world.Operations.Length];
        var ids = world.IdsFor(fuzz.Key);
        var parameter = 0;
        var path = PathParameter().Replace(template, match => Pool(template, match.Groups[1].Value)[fuzz.PathPicks[parameter++ % fuzz.PathPicks.Length] % Pool(template, match.Groups[1].Value).Length]);
        path = FuzzIds.Fill(path + fuzz.Query, ids);
        byte[]? body = null;
        if (method is "POST" or "PUT" or "PATCH")
        {
            var documented = operation.TryGetProperty("requestBody", out var requestBody)
                && requestBody.GetProperty("content").TryGetProperty("application/json", out var json)
                && json.TryGetProperty("example", out var value)
                ? value.GetRawText()
                : null;
            string?[] examples = [documented, .. MoreExamples.GetValueOrDefault(template, [])];
            body = BodyMutations.Apply(examples[fuzz.Example % examples.Length], fuzz.Body, ids);
        }

        return (method, path, body, ContentTypes[fuzz.ContentType]);
    }

    [GeneratedRegex(@"\{(\w+)\}")]
    private static partial Regex PathParameter();

    /// <summary>The values a path parameter is given: the caller's own and another user's resources (half the time), or malformed ids.</summary>
    private string[] Pool(string template, string parameter)
    {
        string[] valid = parameter switch
        {
            "itemId" => ["@own_item@", "@foreign_item@"],
            "keyId" => [world.Spare.KeyId],
            _ when template.StartsWith("/v1/conversations", StringComparison.Ordinal) => ["@own_conversation@", "@foreign_conversation@"],
            _ when template.StartsWith("/v1/responses", StringComparison.Ordinal) => ["@own_response@", "@foreign_response@"],
            _ when template.StartsWith("/v1/models", StringComparison.Ordinal) => ["offline", "gpt-4o-mini"],
            _ when template.StartsWith("/v1/admin/users", StringComparison.Ordinal) => [world.Owner.Id, world.Spare.Id],
            _ => [],
        };
        return valid.Length == 0 ? Malformed : [.. Enumerable.Repeat(valid, Malformed.Length / valid.Length).SelectMany(v => v), .. Malformed];
    }

    private void Authorize(HttpRequestMessage request, FuzzKey key)
    {
        var value = key switch
        {
            FuzzKey.Owner => $"Bearer {world.Owner.Key}",
            FuzzKey.Stranger => $"Bearer {world.Stranger.Key}",
            FuzzKey.Admin => $"Bearer {TestKeys.Admin}",
            FuzzKey.Unknown => "Bearer sk-conv-fuzz-never-issued-0000000000000000000000000000000000",
            FuzzKey.Malformed => "Basic Zm9vOmJhcg==",
            _ => null,
        };
        if (value is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", value);
        }
    }

    /// <summary>What an answer to <paramref name="key"/> must never carry: every other user's secret word and key.</summary>
    private IEnumerable<string> SecretsHiddenFrom(FuzzKey key)
    {
        if (key != FuzzKey.Owner)
        {
            yield return world.OwnerSecret;
            yield return world.Owner.Key;
        }

        if (key != FuzzKey.Stranger)
        {
            yield return world.StrangerSecret;
            yield return world.Stranger.Key;
        }

        yield return world.Spare.Key;
        yield return TestKeys.Admin;
    }

    /// <summary>
    /// The one kind of answer outside the envelope: a request Kestrel cannot take as HTTP (a NUL in the path,
    /// a request line over its 8 KB limit) is refused before the service sees it, with a bare 400 or 414 that
    /// closes the connection (see the README).
    /// </summary>
    public static bool RefusedByKestrel(HttpResponseMessage response, string text) =>
        response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.RequestUriTooLong or HttpStatusCode.RequestHeaderFieldsTooLarge
        && text.Length == 0
        && response.Headers.ConnectionClose == true;

    private static void AssertEnvelope(HttpResponseMessage response, string text, string request)
    {
        Assert.True(response.Content.Headers.ContentType?.MediaType == "application/json", $"{request}: error without application/json ({response.Content.Headers.ContentType}): {Cut(text)}");
        JsonElement error;
        try
        {
            Assert.True(JsonDocument.Parse(text).RootElement.TryGetProperty("error", out error), $"{request}: no error envelope: {Cut(text)}");
        }
        catch (JsonException)
        {
            throw new Xunit.Sdk.XunitException($"{request}: error body is not JSON: {Cut(text)}");
        }

        Assert.True(error.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String && message.GetString()!.Length > 0, $"{request}: {Cut(text)}");
        Assert.True(error.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String, $"{request}: {Cut(text)}");
        Assert.True(error.TryGetProperty("param", out var param) && param.ValueKind is JsonValueKind.String or JsonValueKind.Null, $"{request}: {Cut(text)}");
        Assert.True(error.TryGetProperty("code", out var code) && code.ValueKind is JsonValueKind.String or JsonValueKind.Null, $"{request}: {Cut(text)}");
    }

    private string Describe(FuzzRequest fuzz)
    {
        var (method, path, body, contentType) = Build(fuzz);
        var shown = body is null ? "" : Encoding.UTF8.GetString(body);
        return $"{fuzz}\n  => {method} {Cut(path)} as {fuzz.Key}, Content-Type {contentType ?? "none"}, body ({body?.Length ?? 0} bytes): {Cut(shown)}";
    }

    private static string Cut(string text) => text.Length <= 600 ? text : $"{text[..600]}…({text.Length} chars)";
}
