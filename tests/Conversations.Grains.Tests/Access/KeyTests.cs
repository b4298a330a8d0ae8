using Conversations.Abstractions.Access;
using Conversations.Abstractions.Users;
using Conversations.Core.Users;
using Conversations.Grains.Access;
using Conversations.Grains.Tests.Harness;

namespace Conversations.Grains.Tests.Access;

[Collection(UserCollection.Name)]
public sealed class KeyTests(GrainCluster cluster)
{
    private IAccessGrain Access => cluster.Grain<IAccessGrain>(IAccessGrain.Key);

    private IAdminGrain Admin => cluster.Client.GetGrain<IAdminGrain>(0);

    [Fact]
    public async Task The_hash_secret_is_the_same_on_every_call_and_after_the_grain_is_reactivated()
    {
        var first = await Access.GetHashSecret();
        var second = await Access.GetHashSecret();
        await cluster.DeactivateAsync(Access);
        var afterReactivation = await Access.GetHashSecret();

        Assert.Equal(32, first.Length);
        Assert.Equal(first, second);
        Assert.Equal(first, afterReactivation);
        Assert.Equal(Convert.ToHexStringLower(first), await cluster.UserStore.GetServiceValueAsync(ServiceValues.HashSecret));
    }

    [Fact]
    public async Task A_key_resolves_to_its_user_and_a_made_up_one_to_nobody()
    {
        var user = await Admin.CreateUser("Grace", UserLimits.Defaults);
        var issued = Expect.Ok(await Admin.IssueKey(user.Id));
        var secret = await Access.GetHashSecret();

        var check = await cluster.Grain<IKeyGrain>(ApiKeys.Hash(secret, issued.Key)).Check();

        Assert.Equal(new Principal(user.Id, issued.Record.Id, IsAdmin: false), check.Principal);
        var madeUp = ApiKeys.Format(ApiKeys.UserKeyPrefix, new byte[ApiKeys.RandomBytes]);
        Assert.Equal(KeyCheck.Unknown, await cluster.Grain<IKeyGrain>(ApiKeys.Hash(secret, madeUp)).Check());
        Assert.Equal(KeyCheck.Unknown, await cluster.Grain<IKeyGrain>("not a hash at all").Check());
        // A key hashed under another secret is not the key.
        Assert.Equal(KeyCheck.Unknown, await cluster.Grain<IKeyGrain>(ApiKeys.Hash(new byte[32], issued.Key)).Check());
    }

    [Fact]
    public async Task A_key_is_kept_only_as_its_hash_with_a_short_visible_prefix()
    {
        var user = await Admin.CreateUser("Grace", UserLimits.Defaults);
        var issued = Expect.Ok(await Admin.IssueKey(user.Id));
        var secret = await Access.GetHashSecret();

        Assert.StartsWith(ApiKeys.UserKeyPrefix, issued.Key, StringComparison.Ordinal);
        var stored = Assert.Single(Expect.Ok(await Admin.ListKeys(user.Id)));
        Assert.Equal(issued.Record, stored);
        Assert.Equal(issued.Key[..ApiKeys.VisiblePrefixLength], stored.Prefix);
        Assert.Equal(ApiKeys.Hash(secret, issued.Key), stored.Hash);
        Assert.DoesNotContain(issued.Key, stored.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_revoked_key_stops_resolving_at_once_and_the_users_other_keys_keep_working()
    {
        var user = await Admin.CreateUser("Grace", UserLimits.Defaults);
        var revoked = Expect.Ok(await Admin.IssueKey(user.Id));
        var kept = Expect.Ok(await Admin.IssueKey(user.Id));
        var secret = await Access.GetHashSecret();
        var revokedKeyGrain = cluster.Grain<IKeyGrain>(ApiKeys.Hash(secret, revoked.Key));
        Assert.NotNull((await revokedKeyGrain.Check()).Principal);

        var answer = Expect.Ok(await Admin.RevokeKey(revoked.Record.Id));

        Assert.Equal(revoked.Record.Id, answer.Id);
        Assert.NotNull(answer.RevokedAt);
        Assert.Equal(KeyCheck.Unknown, await revokedKeyGrain.Check());
        Assert.Equal(new Principal(user.Id, kept.Record.Id, false), (await cluster.Grain<IKeyGrain>(ApiKeys.Hash(secret, kept.Key)).Check()).Principal);
    }
}
