using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Conversations.Testing.FakeUpstream;

/// <summary>
/// An OpenAI-compatible upstream on a real Kestrel server on a free loopback port, for tests: it serves
/// <c>POST /v1/chat/completions</c> (single-shot and SSE) and <c>GET /v1/models</c>, answers realistically
/// by default, and can be scripted request by request. It records every request and notices when a client
/// abandons one. Safe to use from many tests at once.
/// <para>
/// By default it answers the last user message's text (see <see cref="FakeReplies.ReplyTo"/>). A request that
/// offers <c>tools</c> (and does not set <c>tool_choice: "none"</c>) is answered with a call of the first
/// tool, or of the one <c>tool_choice</c> names, whose arguments carry the user's text (see
/// <see cref="FakeReplies.ArgumentsFor"/>); a request whose last message is a tool's result is answered
/// with text quoting it (<see cref="FakeReplies.AfterToolResult"/>). So a tool round trip works unscripted.
/// </para>
/// </summary>
public sealed class FakeOpenAiServer : IAsyncDisposable
{
    private static readonly TimeSpan SettleBeforeCut = TimeSpan.FromMilliseconds(150);

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<FakeResponse> _chatScript = new();
    private readonly ConcurrentQueue<FakeResponse> _modelsScript = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<FakeRequest>> _arrivals = new();
    private readonly List<FakeRequest> _requests = [];
    private readonly Lock _requestsLock = new();
    private readonly CancellationTokenSource _stopping = new();
    private int _requestCount;
    private int _contextRefusals;

    private FakeOpenAiServer(WebApplication app)
    {
        _app = app;
    }

    /// <summary>The server's root, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri Address { get; private set; } = null!;

    /// <summary>What to configure as <c>OPENAI_BASE_URL</c>: the address with <c>/v1</c>.</summary>
    public string BaseUrl => Address.ToString().TrimEnd('/') + "/v1";

    /// <summary>The model ids <c>GET /v1/models</c> lists by default.</summary>
    public ImmutableArray<string> Models { get; set; } = ["gpt-4o-mini", "gpt-4o"];

    /// <summary>
    /// When set, every chat request whose prompt (and output cap) is over this many tokens is refused as OpenAI
    /// refuses it: 400 <c>context_length_exceeded</c> (see <see cref="FakeContextWindow"/>), scripted or not.
    /// </summary>
    public long? ContextWindow { get; set; }

    /// <summary>The chat requests refused for their length so far.</summary>
    public int ContextRefusals => _contextRefusals;

    /// <summary>
    /// Windows <c>GET /v1/models</c> reports as <c>max_model_len</c>, by model id, as vLLM does; models not named
    /// here are listed without one, as OpenAI lists them.
    /// </summary>
    public IReadOnlyDictionary<string, long> ReportedWindows { get; set; } = new Dictionary<string, long>();

    /// <summary>When true, the default reply answers a model not in <see cref="Models"/> with OpenAI's 404.</summary>
    public bool RejectUnknownModels { get; set; }

    /// <summary>Every request so far, in arrival order.</summary>
    public IReadOnlyList<FakeRequest> Requests
    {
        get
        {
            lock (_requestsLock)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>The chat completion requests so far, in arrival order.</summary>
    public IReadOnlyList<FakeRequest> ChatRequests => [.. Requests.Where(r => r.Path == "/v1/chat/completions")];

    public static async Task<FakeOpenAiServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = ["--urls", "http://127.0.0.1:0"],
            EnvironmentName = Environments.Production,
            ApplicationName = typeof(FakeOpenAiServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        var app = builder.Build();
        var server = new FakeOpenAiServer(app);
        app.MapPost("/v1/chat/completions", server.HandleChatAsync);
        app.MapGet("/v1/models", server.HandleModelsAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        server.Address = new Uri(app.Urls.Single());
        return server;
    }

    /// <summary>What the next chat completion request gets; scripted responses are used in order, then the default.</summary>
    public void Enqueue(params FakeResponse[] responses)
    {
        foreach (var response in responses)
        {
            _chatScript.Enqueue(response);
        }
    }

    /// <summary>Forgets scripted responses no request has used yet.</summary>
    public void ClearScript()
    {
        _chatScript.Clear();
        _modelsScript.Clear();
    }

    /// <summary>What the next <c>GET /v1/models</c> gets, in order, then the default list.</summary>
    public void EnqueueModels(params FakeResponse[] responses)
    {
        foreach (var response in responses)
        {
            _modelsScript.Enqueue(response);
        }
    }

    /// <summary>Waits for the <paramref name="number"/>th request (1-based, any route) to arrive.</summary>
    public Task<FakeRequest> WaitForRequestAsync(int number, TimeSpan timeout) =>
        Arrival(number).Task.WaitAsync(timeout);

    /// <summary>True if the <paramref name="number"/>th request arrives and the client aborts it, all within <paramref name="deadline"/>.</summary>
    public async Task<bool> WaitForAbortAsync(int number, TimeSpan deadline)
    {
        var started = TimeProvider.System.GetTimestamp();
        FakeRequest request;
        try
        {
            request = await WaitForRequestAsync(number, deadline).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return false;
        }

        var left = deadline - TimeProvider.System.GetElapsedTime(started);
        return await request.WaitForAbortAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        using (var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            await _app.StopAsync(deadline.Token).ConfigureAwait(false);
        }

        await _app.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private TaskCompletionSource<FakeRequest> Arrival(int number) =>
        _arrivals.GetOrAdd(number, _ => new TaskCompletionSource<FakeRequest>(TaskCreationOptions.RunContinuationsAsynchronously));

    private async Task<FakeRequest> RecordAsync(HttpContext context)
    {
        string body;
        using (var reader = new StreamReader(context.Request.Body, Encoding.UTF8))
        {
            body = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
        }

        var headers = context.Request.Headers.ToImmutableDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var number = Interlocked.Increment(ref _requestCount);
        var request = new FakeRequest(number, context.Request.Method, context.Request.Path.Value ?? "", headers, body);
        lock (_requestsLock)
        {
            _requests.Add(request);
        }

        context.RequestAborted.Register(request.MarkAborted);
        Arrival(number).TrySetResult(request);
        return request;
    }

    private async Task HandleChatAsync(HttpContext context)
    {
        var request = await RecordAsync(context).ConfigureAwait(false);
        try
        {
            if (ContextWindow is { } window && ParsedOrNull(request) is { } body && FakeContextWindow.Refusal(body, window) is { } refusal)
            {
                Interlocked.Increment(ref _contextRefusals);
                await RespondAsync(context, request, refusal).ConfigureAwait(false);
                return;
            }

            var response = _chatScript.TryDequeue(out var scripted) ? scripted : FakeResponse.Default;
            await RespondAsync(context, request, response).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested || _stopping.IsCancellationRequested)
        {
            // The client left (or the fake is shutting down); the abort is already recorded.
        }
        catch (IOException) when (context.RequestAborted.IsCancellationRequested)
        {
        }
        finally
        {
            request.MarkFinished();
        }
    }

    private async Task HandleModelsAsync(HttpContext context)
    {
        var request = await RecordAsync(context).ConfigureAwait(false);
        try
        {
            var response = _modelsScript.TryDequeue(out var scripted)
                ? scripted
                : FakeResponse.Json(FakeReplies.ModelList(Models, ReportedWindows));
            await RespondAsync(context, request, response).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested || _stopping.IsCancellationRequested)
        {
        }
        finally
        {
            request.MarkFinished();
        }
    }

    private Task RespondAsync(HttpContext context, FakeRequest request, FakeResponse response) => response switch
    {
        FakeResponse.Reply reply => ReplyAsync(context, request, reply.ChunkDelay),
        FakeResponse.Scripted scripted => PlayAsync(context, request, scripted.Said, scripted.ChunkDelay),
        FakeResponse.Fixed fixedResponse => WriteFixedAsync(context, fixedResponse),
        FakeResponse.Stream stream => WriteStreamAsync(context, stream.Items, stream.Ending),
        FakeResponse.RawStream raw => WriteRawAsync(context, raw),
        FakeResponse.Hang => Task.Delay(Timeout.Infinite, Cancellation(context)),
        FakeResponse.Custom custom => custom.Handler(context, request),
        _ => throw new InvalidOperationException($"The fake upstream cannot play {response}."),
    };

    private CancellationToken Cancellation(HttpContext context)
    {
        var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        context.Response.RegisterForDispose(linked);
        return linked.Token;
    }

    /// <summary>The default: answers the last user message realistically, single-shot or streamed as asked.</summary>
    private async Task ReplyAsync(HttpContext context, FakeRequest request, TimeSpan chunkDelay)
    {
        JsonElement body;
        try
        {
            body = request.Json;
        }
        catch (JsonException)
        {
            await WriteFixedAsync(context, (FakeResponse.Fixed)FakeResponse.OpenAiError(
                400, "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly.)", "invalid_request_error")).ConfigureAwait(false);
            return;
        }

        var model = body.TryGetProperty("model", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : "";
        if (!body.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array || messages.GetArrayLength() == 0)
        {
            await WriteFixedAsync(context, (FakeResponse.Fixed)FakeResponse.OpenAiError(
                400, "Missing required parameter: 'messages'.", "invalid_request_error", "missing_required_parameter", "messages")).ConfigureAwait(false);
            return;
        }

        if (RejectUnknownModels && !Models.Contains(model))
        {
            await WriteFixedAsync(context, (FakeResponse.Fixed)FakeResponse.OpenAiError(
                404, $"The model `{model}` does not exist or you do not have access to it.", "invalid_request_error", "model_not_found")).ConfigureAwait(false);
            return;
        }

        var lastUser = messages.EnumerateArray()
            .LastOrDefault(message => RoleOf(message) == "user");
        var lastUserText = lastUser.ValueKind == JsonValueKind.Object && lastUser.TryGetProperty("content", out var u) ? FakeReplies.TextOf(u) : "";
        var last = messages[messages.GetArrayLength() - 1];
        FakeAnswer answer;
        if (RoleOf(last) == "tool")
        {
            answer = FakeAnswer.Says(FakeReplies.AfterToolResult(last.TryGetProperty("content", out var output) ? FakeReplies.TextOf(output) : ""));
        }
        else if (ToolToCall(body) is { } tool)
        {
            var function = tool.TryGetProperty("function", out var f) && f.ValueKind == JsonValueKind.Object ? f : default;
            var name = function.ValueKind == JsonValueKind.Object && function.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : "";
            JsonElement? parameters = function.ValueKind == JsonValueKind.Object && function.TryGetProperty("parameters", out var p) ? p : null;
            answer = FakeAnswer.Calls(new FakeToolCall($"call_Fake{request.Number:D19}", name, FakeReplies.ArgumentsFor(parameters, lastUserText)));
        }
        else
        {
            answer = FakeAnswer.Says(FakeReplies.ReplyTo(lastUserText));
        }

        await PlayAsync(context, request, answer, chunkDelay).ConfigureAwait(false);
    }

    /// <summary>Says <paramref name="answer"/>, single-shot or streamed as the request asked, with the request's model.</summary>
    private async Task PlayAsync(HttpContext context, FakeRequest request, FakeAnswer answer, TimeSpan chunkDelay)
    {
        JsonElement body;
        try
        {
            body = request.Json;
        }
        catch (JsonException)
        {
            body = default;
        }

        var isObject = body.ValueKind == JsonValueKind.Object;
        var model = isObject && body.TryGetProperty("model", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : "";
        var contents = isObject && body.TryGetProperty("messages", out var messages) && messages.ValueKind == JsonValueKind.Array
            ? messages.EnumerateArray().Select(message => message.ValueKind == JsonValueKind.Object && message.TryGetProperty("content", out var c) ? FakeReplies.TextOf(c) : "").ToList()
            : [];
        var usage = answer.Usage ?? FakeReplies.UsageOf(FakeReplies.PromptTokensOf(contents), answer);
        var id = $"chatcmpl-Fake{request.Number:D25}";
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var stream = isObject && body.TryGetProperty("stream", out var s) && s.ValueKind == JsonValueKind.True;
        if (!stream)
        {
            await WriteFixedAsync(context, (FakeResponse.Fixed)FakeResponse.Json(FakeReplies.AnswerCompletion(id, created, model, answer, usage))).ConfigureAwait(false);
            return;
        }

        var includeUsage = body.TryGetProperty("stream_options", out var options)
            && options.ValueKind == JsonValueKind.Object
            && options.TryGetProperty("include_usage", out var include)
            && include.ValueKind == JsonValueKind.True;
        var events = FakeReplies.AnswerStreamEvents(id, created, model, answer, includeUsage, usage)
            .Select(data => new FakeSseEvent(data, Delay: chunkDelay))
            .ToImmutableArray();
        await WriteStreamAsync(context, events, FakeStreamEnding.Done).ConfigureAwait(false);
    }

    private static JsonElement? ParsedOrNull(FakeRequest request)
    {
        try
        {
            return request.Json;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? RoleOf(JsonElement message) =>
        message.ValueKind == JsonValueKind.Object && message.TryGetProperty("role", out var role) && role.ValueKind == JsonValueKind.String ? role.GetString() : null;

    /// <summary>The tool the default reply calls: none without <c>tools</c> or with <c>tool_choice: "none"</c>; the named one for a forced function; else the first.</summary>
    private static JsonElement? ToolToCall(JsonElement body)
    {
        if (!body.TryGetProperty("tools", out var tools) || tools.ValueKind != JsonValueKind.Array || tools.GetArrayLength() == 0)
        {
            return null;
        }

        if (body.TryGetProperty("tool_choice", out var choice))
        {
            if (choice.ValueKind == JsonValueKind.String && choice.GetString() == "none")
            {
                return null;
            }

            if (choice.ValueKind == JsonValueKind.Object
                && choice.TryGetProperty("function", out var forced) && forced.ValueKind == JsonValueKind.Object
                && forced.TryGetProperty("name", out var forcedName) && forcedName.ValueKind == JsonValueKind.String)
            {
                foreach (var tool in tools.EnumerateArray())
                {
                    if (tool.ValueKind == JsonValueKind.Object
                        && tool.TryGetProperty("function", out var function) && function.ValueKind == JsonValueKind.Object
                        && function.TryGetProperty("name", out var name) && name.ValueEquals(forcedName.GetString()))
                    {
                        return tool;
                    }
                }
            }
        }

        return tools[0];
    }

    private static async Task WriteFixedAsync(HttpContext context, FakeResponse.Fixed response)
    {
        context.Response.StatusCode = response.StatusCode;
        AddOpenAiHeaders(context);
        foreach (var (name, value) in response.Headers)
        {
            context.Response.Headers.Append(name, value);
        }

        if (response.Body.Length > 0)
        {
            context.Response.ContentType = response.ContentType;
            await context.Response.WriteAsync(response.Body, context.RequestAborted).ConfigureAwait(false);
        }
    }

    private async Task WriteStreamAsync(HttpContext context, ImmutableArray<FakeSseEvent> events, FakeStreamEnding ending)
    {
        var cancellation = Cancellation(context);
        StartEventStream(context);
        await context.Response.Body.FlushAsync(cancellation).ConfigureAwait(false);
        var items = Paced(context, events, ending == FakeStreamEnding.Done, cancellation);
        await SseFormatter.WriteAsync(items, context.Response.Body, cancellation).ConfigureAwait(false);
        await context.Response.Body.FlushAsync(cancellation).ConfigureAwait(false);
        await EndAsync(context, ending, cancellation).ConfigureAwait(false);
    }

    /// <summary>The events, each after its delay and each flushed to the client before the next is made.</summary>
    private static async IAsyncEnumerable<SseItem<string>> Paced(
        HttpContext context, ImmutableArray<FakeSseEvent> events, bool done, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var sseEvent in events)
        {
            if (sseEvent.Delay > TimeSpan.Zero)
            {
                await Task.Delay(sseEvent.Delay, cancellationToken).ConfigureAwait(false);
            }

            yield return new SseItem<string>(sseEvent.Data, sseEvent.EventType);
            await context.Response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        if (done)
        {
            yield return new SseItem<string>("[DONE]");
        }
    }

    private async Task WriteRawAsync(HttpContext context, FakeResponse.RawStream raw)
    {
        var cancellation = Cancellation(context);
        StartEventStream(context);
        var bytes = Encoding.UTF8.GetBytes(raw.Text);
        var size = raw.PieceSize > 0 ? raw.PieceSize : Math.Max(1, bytes.Length);
        for (var offset = 0; offset < bytes.Length; offset += size)
        {
            if (offset > 0 && raw.PieceDelay > TimeSpan.Zero)
            {
                await Task.Delay(raw.PieceDelay, cancellation).ConfigureAwait(false);
            }

            await context.Response.Body.WriteAsync(bytes.AsMemory(offset, Math.Min(size, bytes.Length - offset)), cancellation).ConfigureAwait(false);
            await context.Response.Body.FlushAsync(cancellation).ConfigureAwait(false);
        }
    }

    private static async Task EndAsync(HttpContext context, FakeStreamEnding ending, CancellationToken cancellation)
    {
        switch (ending)
        {
            case FakeStreamEnding.Abort:
                await CutAsync(context, cancellation).ConfigureAwait(false);
                break;
            case FakeStreamEnding.Hang:
                await Task.Delay(Timeout.Infinite, cancellation).ConfigureAwait(false);
                break;
        }
    }

    /// <summary>Cuts the connection after what was already written, for scripted answers that end in a cut.</summary>
    public static async Task CutAsync(HttpContext context, CancellationToken cancellation)
    {
        // Kestrel drops output not yet handed to the socket when a connection is aborted, so what was
        // written is given time to leave first; the client then sees it, then the cut.
        await Task.Delay(SettleBeforeCut, cancellation).ConfigureAwait(false);
        context.Abort();
    }

    private static void StartEventStream(HttpContext context)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/event-stream; charset=utf-8";
        context.Response.Headers.CacheControl = "no-cache";
        AddOpenAiHeaders(context);
    }

    private static void AddOpenAiHeaders(HttpContext context)
    {
        context.Response.Headers["x-request-id"] = $"req_{Guid.NewGuid():N}";
        context.Response.Headers["openai-processing-ms"] = "42";
        context.Response.Headers["openai-version"] = "2020-10-01";
    }
}
