using System.Collections.Concurrent;
using System.Diagnostics;
using Conversations.ApiHost.Tests.Infrastructure;
using Conversations.Testing.FakeUpstream;

namespace Conversations.ApiHost.Tests.MultiUser;

/// <summary>
/// Many users chatting at once through one host: every conversation ends up holding exactly its own
/// messages in order, and every user's usage is exactly what their own answers said they cost.
/// </summary>
public sealed class ConcurrencyTests
{
    private const int Users = 200;
    private const int TurnsPerConversation = 3;
    private const int InFlight = 64;

    [Fact]
    public async Task Two_hundred_users_chatting_at_once_get_no_cross_talk_and_exact_usage()
    {
        var clock = Stopwatch.StartNew();
        await using var upstream = await FakeOpenAiServer.StartAsync();
        await using var host = await RunningApiHost.StartAsync(upstream);
        var admin = host.Client(TestKeys.Admin);
        using var gate = new SemaphoreSlim(InFlight);

        var users = await Task.WhenAll(Enumerable.Range(0, Users).Select(i => Gated(gate, () =>
            admin.NewUser($"crowd-{i}", """{"requests_per_minute":100000,"concurrent_streams":1000}"""))));
        var conversations = await Task.WhenAll(users.SelectMany((user, i) => Enumerable.Range(0, 2 + (i % 2)).Select(j => Gated(gate, async () =>
            new Chat(i, j, user, await host.Client(user.Key).CreateConversation(JsonSerializer.Serialize(new { metadata = new { user = $"{i}", n = $"{j}" } })))))));

        var spent = new ConcurrentDictionary<string, Usage>();
        void Spend(TestUser user, Usage usage) => spent.AddOrUpdate(user.Id, usage, (_, sum) => sum + usage);

        // Every conversation runs its turns in order; all conversations (and a stateless call per user) run at once.
        var chatting = conversations.Select(async chat =>
        {
            var client = host.Client(chat.User.Key);
            for (var k = 0; k < TurnsPerConversation; k++)
            {
                var (content, expected) = ($"Say u{chat.UserIndex} c{chat.Index} t{k}", $"U{chat.UserIndex} c{chat.Index} t{k}");
                var streamed = (chat.UserIndex + chat.Index + k) % 2 == 0;
                var (reply, usage) = await Gated(gate, () => streamed ? StreamedTurn(client, chat.Id, content) : SingleTurn(client, chat.Id, content));
                Assert.Equal(expected, reply);
                Spend(chat.User, usage);
                chat.Expected.AddRange([content, expected]);
            }
        });
        var stateless = users.Select((user, i) => Gated(gate, async () =>
        {
            using var response = await host.Client(user.Key).PostAsync("/v1/chat/completions", Api.Json(JsonSerializer.Serialize(new
            {
                model = "gpt-4o-mini",
                messages = new[] { new { role = "user", content = $"Say stateless u{i}" } },
            })));
            var json = await response.ReadJson();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"stateless call answered {(int)response.StatusCode}: {json}");
            Assert.Equal($"Stateless u{i}", json.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
            Spend(user, Usage.Of(json.GetProperty("usage")));
        }));
        await Task.WhenAll([.. chatting, .. stateless]);
        var chatted = clock.Elapsed;

        // No cross-talk: each conversation holds exactly its own turns, in order; each user lists exactly their own.
        await Task.WhenAll(conversations.Select(chat => Gated(gate, async () =>
        {
            var items = await host.Client(chat.User.Key).Items(chat.Id);
            var texts = items.GetProperty("data").EnumerateArray().Select(i => i.GetProperty("content")[0].GetProperty("text").GetString()!).ToList();
            Assert.Equal(chat.Expected, texts);
            Assert.All(items.GetProperty("data").EnumerateArray(), i => Assert.Equal("completed", i.GetProperty("status").GetString()));
        })));
        await Task.WhenAll(users.Select(user => Gated(gate, async () =>
        {
            var list = await (await host.Client(user.Key).GetAsync("/v1/conversations?limit=100")).ReadJson();
            var listed = list.GetProperty("data").EnumerateArray().Select(c => c.GetProperty("id").GetString()).Order();
            Assert.Equal(conversations.Where(c => c.User == user).Select(c => c.Id).Order(), listed);
        })));

        // Usage: each user's totals are exactly the sum of what their answers reported.
        await Task.WhenAll(users.Select(user => Gated(gate, async () =>
        {
            var client = host.Client(user.Key);
            var report = await Eventually.Within(() => client.Usage(), u => Usage.Of(u.GetProperty("total")) == spent[user.Id], TimeSpan.FromSeconds(10));
            Assert.Equal(spent[user.Id], Usage.Of(report.GetProperty("total")));
            Assert.Equal(spent[user.Id], Usage.Of(report.GetProperty("today")));
        })));
        var all = await (await admin.GetAsync("/v1/admin/usage")).ReadJson();
        var rows = all.GetProperty("data").EnumerateArray().ToDictionary(r => r.GetProperty("user_id").GetString()!, r => Usage.Of(r.GetProperty("total")));
        Assert.All(users, user => Assert.Equal(spent[user.Id], rows[user.Id]));
        var turns = conversations.Length * TurnsPerConversation;
        Assert.Equal(turns + Users, upstream.ChatRequests.Count);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"{turns} turns and {Users} stateless calls took {chatted}, all checks {clock.Elapsed}");
    }

    private static async Task<T> Gated<T>(SemaphoreSlim gate, Func<Task<T>> call)
    {
        await gate.WaitAsync();
        try
        {
            return await call();
        }
        finally
        {
            gate.Release();
        }
    }

    private static Task Gated(SemaphoreSlim gate, Func<Task> call) => Gated(gate, async () => { await call(); return 0; });

    private static async Task<(string Reply, Usage Usage)> SingleTurn(HttpClient client, string id, string content)
    {
        var completion = await client.Turn(id, content);
        return (completion.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!, Usage.Of(completion.GetProperty("usage")));
    }

    private static async Task<(string Reply, Usage Usage)> StreamedTurn(HttpClient client, string id, string content)
    {
        using var response = await client.StartStream(id, content);
        var events = await response.ReadEvents();
        Assert.True(response.StatusCode == HttpStatusCode.OK && events[^1] == "[DONE]", $"stream answered {(int)response.StatusCode}: {string.Join('\n', events)}");
        var chunks = events[..^1].Select(e => JsonDocument.Parse(e).RootElement).ToList();
        var reply = string.Concat(chunks
            .Where(c => c.GetProperty("choices").GetArrayLength() > 0)
            .Select(c => c.GetProperty("choices")[0].GetProperty("delta"))
            .Select(d => d.TryGetProperty("content", out var text) ? text.GetString() : ""));
        var usage = chunks.Single(c => c.GetProperty("usage").ValueKind == JsonValueKind.Object).GetProperty("usage");
        return (reply, Usage.Of(usage));
    }

    private sealed record Chat(int UserIndex, int Index, TestUser User, string Id)
    {
        public List<string> Expected { get; } = [];
    }

    private sealed record Usage(long Requests, long PromptTokens, long CompletionTokens, long TotalTokens)
    {
        public static Usage Of(JsonElement json) => new(
            json.TryGetProperty("requests", out var requests) ? requests.GetInt64() : 1,
            json.GetProperty("prompt_tokens").GetInt64(),
            json.GetProperty("completion_tokens").GetInt64(),
            json.GetProperty("total_tokens").GetInt64());

        public static Usage operator +(Usage a, Usage b) =>
            new(a.Requests + b.Requests, a.PromptTokens + b.PromptTokens, a.CompletionTokens + b.CompletionTokens, a.TotalTokens + b.TotalTokens);
    }
}
