using System.Net.Http.Headers;
using Conversations.Silo.Tests.Infrastructure;

namespace Conversations.Silo.Tests.Soak;

/// <summary>
/// The soak's mixed traffic: per worker a user's key, a conversation and an API host, and a loop of
/// single-shot, streamed and cut-short turns, Responses API turns and stateless calls; beside them an admin
/// that keeps creating users and issuing and revoking keys. Every answer goes to <see cref="SoakOutcomes"/>.
/// </summary>
public sealed class SoakLoad(SoakOutcomes outcomes)
{
    /// <summary>A worker moves on to a new conversation after this many turns, as a user starting a new chat does, so history stays short.</summary>
    public const int TurnsPerConversation = 50;

    public sealed class Worker(string userId, string key, HttpClient client, string conversation, int seed)
    {
        public string UserId { get; } = userId;

        public string Key { get; } = key;

        public HttpClient Client { get; } = client;

        public string Conversation { get; set; } = conversation;

        public int Seed { get; } = seed;
    }

    public static async Task<Worker> StartWorkerAsync(ApiNode host, string userId, string key, int seed)
    {
        var client = host.Client(key);
        return new Worker(userId, key, client, await client.CreateConversation(), seed);
    }

    /// <summary>Runs <paramref name="worker"/> until <paramref name="stop"/> fires.</summary>
    public async Task RunAsync(Worker worker, CancellationToken stop)
    {
        var random = new Random(worker.Seed);
        var turn = 0;
        while (!stop.IsCancellationRequested)
        {
            turn++;
            if (turn % TurnsPerConversation == 0)
            {
                await NewConversation(worker);
            }

            var roll = random.Next(100);
            try
            {
                await (roll switch
                {
                    < 30 => Send(worker, "turn", $"/v1/conversations/{worker.Conversation}/messages", JsonSerializer.Serialize(new { content = $"Say turn {turn}" })),
                    < 50 => Stream(worker, "stream", JsonSerializer.Serialize(new { content = $"Say streamed {turn}", stream = true }), cut: false),
                    < 60 => Stream(worker, "cut stream", JsonSerializer.Serialize(new { content = $"Say cut {turn} one two three four five six", stream = true }), cut: true),
                    < 75 => Send(worker, "response", "/v1/responses", JsonSerializer.Serialize(new { conversation = worker.Conversation, input = $"Say response {turn}" })),
                    _ => Stateless(worker, turn),
                });
            }
            catch (Exception exception) when (exception is HttpRequestException or IOException || (exception is TaskCanceledException && !stop.IsCancellationRequested))
            {
                outcomes.Violation($"{worker.UserId}: the request failed without an answer ({exception.GetType().Name}: {exception.Message})");
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
        }
    }

    private async Task NewConversation(Worker worker)
    {
        var sentAt = TimeProvider.System.GetTimestamp();
        using var response = await worker.Client.PostAsync("/v1/conversations", Http.Json("{}"));
        var body = await response.Content.ReadAsStringAsync();
        outcomes.Answered("new conversation", (int)response.StatusCode, body, sentAt);
        if (response.IsSuccessStatusCode)
        {
            worker.Conversation = JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
        }
    }

    /// <summary>The admin's churn until <paramref name="stop"/>: a user made, a key issued and the one before revoked, users and usage listed.</summary>
    public async Task AdminAsync(HttpClient admin, CancellationToken stop)
    {
        string? previousKey = null;
        var round = 0;
        while (!stop.IsCancellationRequested)
        {
            round++;
            try
            {
                var user = await Answer(admin, "admin create user", HttpMethod.Post, "/v1/admin/users", JsonSerializer.Serialize(new { name = $"churn-{round}" }));
                if (user?.GetProperty("id").GetString() is { } userId
                    && await Answer(admin, "admin issue key", HttpMethod.Post, $"/v1/admin/users/{userId}/keys", null) is { } key)
                {
                    if (previousKey is not null)
                    {
                        await Answer(admin, "admin revoke key", HttpMethod.Delete, $"/v1/admin/keys/{previousKey}", null);
                    }

                    previousKey = key.GetProperty("id").GetString();
                }

                await Answer(admin, "admin list users", HttpMethod.Get, "/v1/admin/users", null);
                await Answer(admin, "admin usage", HttpMethod.Get, "/v1/admin/usage", null);
                await Task.Delay(TimeSpan.FromMilliseconds(500), stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
            catch (HttpRequestException exception)
            {
                outcomes.Violation($"admin: the request failed without an answer ({exception.Message})");
            }
        }
    }

    private async Task<JsonElement?> Answer(HttpClient client, string action, HttpMethod method, string path, string? json)
    {
        var sentAt = TimeProvider.System.GetTimestamp();
        using var request = new HttpRequestMessage(method, path) { Content = json is null ? null : Http.Json(json) };
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        outcomes.Answered(action, (int)response.StatusCode, body, sentAt);
        return response.IsSuccessStatusCode && body.Length > 0 ? JsonDocument.Parse(body).RootElement.Clone() : null;
    }

    private Task Send(Worker worker, string action, string path, string json) => Answer(worker.Client, action, HttpMethod.Post, path, json);

    private async Task Stateless(Worker worker, int turn)
    {
        var answer = await Answer(worker.Client, "stateless", HttpMethod.Post, "/v1/chat/completions",
            JsonSerializer.Serialize(new { model = "gpt-4o-mini", messages = new[] { new { role = "user", content = $"Say stateless {turn}" } } }));
        if (answer is { } completion)
        {
            outcomes.StatelessUsed(worker.UserId, completion.GetProperty("usage").GetProperty("total_tokens").GetInt64());
        }
    }

    /// <summary>A streamed turn, read to its end, or cut (the connection dropped) after its first content chunk.</summary>
    private async Task Stream(Worker worker, string action, string json, bool cut)
    {
        var sentAt = TimeProvider.System.GetTimestamp();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/conversations/{worker.Conversation}/messages") { Content = Http.Json(json) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await worker.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        if (!response.IsSuccessStatusCode)
        {
            outcomes.Answered(action, (int)response.StatusCode, await response.Content.ReadAsStringAsync(), sentAt);
            return;
        }

        await using var body = await response.Content.ReadAsStreamAsync();
        using var reader = new StreamReader(body);
        var text = new System.Text.StringBuilder();
        while (await reader.ReadLineAsync() is { } line)
        {
            text.AppendLine(line);
            if (cut && line.Contains("\"content\":\"", StringComparison.Ordinal) && !line.Contains("\"content\":\"\"", StringComparison.Ordinal))
            {
                // Leave mid-stream: the turn is kept as incomplete.
                outcomes.Answered(action, 200, "", sentAt);
                return;
            }
        }

        var all = text.ToString();
        // An error event mid-stream is how a stream fails after its 200: a 503-like one only during the restart.
        var failed = all.Contains("\"error\":", StringComparison.Ordinal);
        var clusterFailure = all.Contains("service_unavailable", StringComparison.Ordinal) || all.Contains("server_shutting_down", StringComparison.Ordinal);
        outcomes.Answered(action, !failed ? 200 : clusterFailure ? 503 : 502, failed ? all : "", sentAt);
        if (!failed && !all.Contains("data: [DONE]", StringComparison.Ordinal))
        {
            outcomes.Violation($"{action}: a stream ended without [DONE] or an error event");
        }
    }
}
