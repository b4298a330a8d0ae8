using System.Collections.Concurrent;
using System.Collections.Immutable;
using Conversations.ApiHost.Tests.Infrastructure;

namespace Conversations.ApiHost.Tests.Fuzzing;

/// <summary>
/// The running host the route fuzz suite attacks, and what lives in it: two users, each with a conversation,
/// an item and a stored response that carry a secret word of theirs, and a third user whose key may be
/// revoked. Every route of <c>/openapi/v1.json</c> is read from the host itself.
/// </summary>
public sealed class FuzzWorld : IAsyncLifetime
{
    private readonly ConcurrentDictionary<FuzzKey, ConcurrentDictionary<string, string>> _ids = new();

    public RunningApiHost Host { get; private set; } = null!;

    public TestUser Owner { get; private set; } = null!;

    public TestUser Stranger { get; private set; } = null!;

    public TestUser Spare { get; private set; } = null!;

    /// <summary>A word only the owner's resources hold; no answer to anyone else may carry it.</summary>
    public string OwnerSecret { get; } = $"owner-secret-{Guid.NewGuid():N}";

    public string StrangerSecret { get; } = $"stranger-secret-{Guid.NewGuid():N}";

    public ImmutableArray<(string Method, string Path, JsonElement Operation)> Operations { get; private set; }

    public async Task InitializeAsync()
    {
        Host = await RunningApiHost.StartAsync(overrides: new Dictionary<string, string?>
        {
            // The fuzzer sends hundreds of model calls a minute; the limits are not what it tests.
            ["Limits:RequestsPerMinute"] = "0",
        });
        using var admin = Host.Client(TestKeys.Admin);
        Owner = await admin.NewUser("fuzz-owner");
        Stranger = await admin.NewUser("fuzz-stranger");
        Spare = await admin.NewUser("fuzz-spare");
        var owned = await Resources(Owner.Key, OwnerSecret);
        var strangers = await Resources(Stranger.Key, StrangerSecret);
        _ids[FuzzKey.Owner] = Ids(owned, strangers);
        _ids[FuzzKey.Stranger] = Ids(strangers, owned);
        var document = await ApiDocument.Fetch(Host);
        Operations = [.. document.Operations.Where(o => o.Path.StartsWith("/v1/", StringComparison.Ordinal)).OrderBy(o => o.Path, StringComparer.Ordinal).ThenBy(o => o.Method, StringComparer.Ordinal)];
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();

    /// <summary>The ids a request sent as <paramref name="key"/> calls its own and another user's (the owner's view for keys of no user).</summary>
    public IReadOnlyDictionary<string, string> IdsFor(FuzzKey key) => _ids[key == FuzzKey.Stranger ? FuzzKey.Stranger : FuzzKey.Owner];

    /// <summary>
    /// After a request deleted one of the caller's resources, makes it a new one, so the rest of the run
    /// still reaches the routes that need one.
    /// </summary>
    public async Task Replenish(FuzzKey key, string method, string path, HttpStatusCode status)
    {
        if (method != "DELETE" || (int)status >= 300 || key is not (FuzzKey.Owner or FuzzKey.Stranger))
        {
            return;
        }

        var user = key == FuzzKey.Owner ? Owner : Stranger;
        var fresh = await Resources(user.Key, key == FuzzKey.Owner ? OwnerSecret : StrangerSecret);
        var other = key == FuzzKey.Owner ? FuzzKey.Stranger : FuzzKey.Owner;
        foreach (var (name, id) in fresh)
        {
            _ids[key][$"own_{name}"] = id;
            _ids[other][$"foreign_{name}"] = id;
        }
    }

    /// <summary>A conversation with one turn and a stored response, each holding <paramref name="secret"/>.</summary>
    private async Task<Dictionary<string, string>> Resources(string key, string secret)
    {
        using var client = Host.Client(key);
        var conversation = await client.CreateConversation(JsonSerializer.Serialize(new { metadata = new { secret } }));
        await client.Turn(conversation, $"Remember {secret}.");
        var item = (await client.Items(conversation)).GetProperty("data")[0].GetProperty("id").GetString()!;
        using var created = await client.PostAsync("/v1/responses", Api.Json($$"""{"model":"offline","input":"Note {{secret}}."}"""));
        var response = (await created.ReadJson()).GetProperty("id").GetString()!;
        return new() { ["conversation"] = conversation, ["item"] = item, ["response"] = response };
    }

    private static ConcurrentDictionary<string, string> Ids(Dictionary<string, string> own, Dictionary<string, string> foreign) =>
        new(own.Select(p => KeyValuePair.Create($"own_{p.Key}", p.Value))
            .Concat(foreign.Select(p => KeyValuePair.Create($"foreign_{p.Key}", p.Value))));
}
