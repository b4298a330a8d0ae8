using Conversations.Abstractions.Access;
using Conversations.Core.Users;
using Conversations.Grains.Access;
using Conversations.Grains.Tests.Harness;

namespace Conversations.Grains.Tests.Access;

/// <summary>First-start bootstrap, on a cluster of its own: it is about what a brand-new store gets.</summary>
public sealed class BootstrapTests(GrainCluster cluster) : IClassFixture<GrainCluster>
{
    private static readonly BootstrapRequest NothingConfigured = new(null, null, null);

    private IAccessGrain Access => cluster.Grain<IAccessGrain>(IAccessGrain.Key);

    [Fact]
    public async Task Keys_are_generated_on_the_first_start_only_and_configured_keys_take_over_later()
    {
        // The very first start, with no keys configured: an admin key and a default-user key are generated.
        var first = await Access.Bootstrap(NothingConfigured);
        Assert.StartsWith(ApiKeys.AdminKeyPrefix, first.GeneratedAdminKey, StringComparison.Ordinal);
        Assert.StartsWith(ApiKeys.UserKeyPrefix, first.GeneratedDefaultUserKey, StringComparison.Ordinal);
        var secret = await Access.GetHashSecret();
        Assert.Equal(Principal.Admin, await Resolve(secret, first.GeneratedAdminKey!));
        var defaultUser = await Resolve(secret, first.GeneratedDefaultUserKey!);
        Assert.Equal((AccessGrain.DefaultUserId, false), (defaultUser?.UserId, defaultUser?.IsAdmin));

        // Every later start, on any host: nothing new, and the generated keys keep working.
        Assert.Equal(new BootstrapResult(null, null), await Access.Bootstrap(NothingConfigured));
        await cluster.DeactivateAsync(Access);
        Assert.Equal(new BootstrapResult(null, null), await Access.Bootstrap(NothingConfigured));
        Assert.Equal(Principal.Admin, await Resolve(secret, first.GeneratedAdminKey!));
        Assert.Equal(defaultUser, await Resolve(secret, first.GeneratedDefaultUserKey!));
        var users = await cluster.UserStore.ListUsersAsync();
        Assert.Single(users, u => u.Id == AccessGrain.DefaultUserId);
        Assert.Single(await cluster.UserStore.ListKeysAsync(AccessGrain.DefaultUserId));

        // The operator configures keys of their own. A client tries them before the hosts restart with them…
        var adminKey = ApiKeys.Format(ApiKeys.AdminKeyPrefix, Enumerable.Repeat((byte)7, ApiKeys.RandomBytes).ToArray());
        var userKey = ApiKeys.Format(ApiKeys.UserKeyPrefix, Enumerable.Repeat((byte)9, ApiKeys.RandomBytes).ToArray());
        Assert.Null(await Resolve(secret, adminKey));
        Assert.Null(await Resolve(secret, userKey));

        // …then a host starts with them: they work at once, and the generated admin key no longer does.
        var configured = await Access.Bootstrap(new BootstrapRequest(ApiKeys.Hash(secret, adminKey), ApiKeys.Hash(secret, userKey), ApiKeys.VisiblePrefix(userKey)));
        Assert.Equal(new BootstrapResult(null, null), configured);
        Assert.Equal(Principal.Admin, await Resolve(secret, adminKey));
        Assert.Null(await Resolve(secret, first.GeneratedAdminKey!));
        Assert.Equal(AccessGrain.DefaultUserId, (await Resolve(secret, userKey))?.UserId);
        Assert.Equal(defaultUser, await Resolve(secret, first.GeneratedDefaultUserKey!));
        var defaultUserKeys = await cluster.UserStore.ListKeysAsync(AccessGrain.DefaultUserId);
        Assert.Equal(2, defaultUserKeys.Length);
        Assert.Equal(ApiKeys.VisiblePrefix(userKey), defaultUserKeys[1].Prefix);

        // Starting again with the same configuration changes nothing.
        Assert.Equal(new BootstrapResult(null, null), await Access.Bootstrap(new BootstrapRequest(ApiKeys.Hash(secret, adminKey), ApiKeys.Hash(secret, userKey), ApiKeys.VisiblePrefix(userKey))));
        Assert.Equal(2, (await cluster.UserStore.ListKeysAsync(AccessGrain.DefaultUserId)).Length);
        Assert.Equal(Principal.Admin, await Resolve(secret, adminKey));
    }

    private async Task<Principal?> Resolve(byte[] secret, string key) =>
        (await cluster.Grain<IKeyGrain>(ApiKeys.Hash(secret, key)).Check()).Principal;
}
