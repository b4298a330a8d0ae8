using Conversations.Abstractions.Users;
using Conversations.Core.Requests;
using Conversations.Core.Users;
using Conversations.Grains.Tests.Harness;

namespace Conversations.Grains.Tests.Users;

[Collection(UserCollection.Name)]
public sealed class AdminTests(GrainCluster cluster)
{
    private IAdminGrain Admin => cluster.Client.GetGrain<IAdminGrain>(0);

    [Fact]
    public async Task Created_users_are_listed_oldest_first_with_their_limits()
    {
        var ada = await Admin.CreateUser("Ada", new UserLimits(3, 1000, 2));
        var alan = await Admin.CreateUser("Alan", UserLimits.Defaults);

        Assert.True(Ids.IsWellFormed(ada.Id, Ids.UserPrefix), ada.Id);
        Assert.NotEqual(ada.Id, alan.Id);
        var listed = await Admin.ListUsers();
        var ours = listed.Where(u => u.Id == ada.Id || u.Id == alan.Id).ToList();
        Assert.Equal([ada, alan], ours);
        Assert.Equal(new UserLimits(3, 1000, 2), ours[0].Limits);
        Assert.True(listed.IndexOf(ada) < listed.IndexOf(alan));
    }

    [Fact]
    public async Task Keys_are_listed_oldest_first_including_revoked_ones()
    {
        var user = await Admin.CreateUser("Ada", UserLimits.Defaults);
        Assert.Empty(Expect.Ok(await Admin.ListKeys(user.Id)));
        var first = Expect.Ok(await Admin.IssueKey(user.Id));
        var second = Expect.Ok(await Admin.IssueKey(user.Id));
        Assert.NotEqual(first.Key, second.Key);

        var revoked = Expect.Ok(await Admin.RevokeKey(first.Record.Id));

        var keys = Expect.Ok(await Admin.ListKeys(user.Id));
        Assert.Equal([first.Record.Id, second.Record.Id], keys.Select(k => k.Id));
        Assert.Equal(revoked, keys[0]);
        Assert.NotNull(keys[0].RevokedAt);
        Assert.Null(keys[1].RevokedAt);
        // Revoking again keeps the first revocation time.
        Assert.Equal(revoked.RevokedAt, Expect.Ok(await Admin.RevokeKey(first.Record.Id)).RevokedAt);
    }

    [Fact]
    public async Task Unknown_users_and_keys_are_named_in_the_error()
    {
        var nobody = Requests.NewOwnerId();
        var noKey = $"{Ids.KeyPrefix}{Guid.NewGuid():N}";

        Assert.Equal(new AdminError.UserNotFound(nobody), Expect.Failure(await Admin.IssueKey(nobody)));
        Assert.Equal(new AdminError.UserNotFound(nobody), Expect.Failure(await Admin.ListKeys(nobody)));
        Assert.Equal(new AdminError.KeyNotFound(noKey), Expect.Failure(await Admin.RevokeKey(noKey)));
        Assert.DoesNotContain(await Admin.ListUsers(), u => u.Id == nobody);
    }
}
