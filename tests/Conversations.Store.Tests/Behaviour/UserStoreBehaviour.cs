using Conversations.Core.Items;
using Conversations.Core.Users;
using Conversations.Store.Tests.Harness;

namespace Conversations.Store.Tests.Behaviour;

/// <summary>Users, their keys (by hash), revocation, and service-wide values.</summary>
public abstract class UserStoreBehaviour(StoreBackend backend) : StoreBehaviour(backend)
{
    [Fact]
    public async Task A_created_user_is_found_by_id_with_its_limits()
    {
        var limited = Samples.User(limits: new UserLimits(60, 1_000_000_000_000, 3));
        var defaults = Samples.User(createdAt: Samples.Start.AddTicks(3));
        await Store.Users.CreateUserAsync(limited);
        await Store.Users.CreateUserAsync(defaults);

        Assert.Equal(limited, await Store.Users.GetUserAsync(limited.Id));
        Assert.Equal(defaults, await Store.Users.GetUserAsync(defaults.Id));
        Assert.Null(await Store.Users.GetUserAsync("user_unknown"));
    }

    [Fact]
    public async Task A_second_user_with_a_taken_id_is_refused()
    {
        var user = Samples.User();
        await Store.Users.CreateUserAsync(user);

        await Assert.ThrowsAsync<InvalidOperationException>(() => Store.Users.CreateUserAsync(user with { Name = "Impostor" }));

        Assert.Equal(user, await Store.Users.GetUserAsync(user.Id));
    }

    [Fact]
    public async Task Users_are_listed_oldest_first()
    {
        var middle = Samples.User(createdAt: Samples.Start.AddMinutes(1));
        var oldest = Samples.User(createdAt: Samples.Start);
        var newest = Samples.User(createdAt: Samples.Start.AddMinutes(2));
        // Same time as the newest but stored after it: ties keep the order users were stored in.
        var tie = Samples.User(createdAt: Samples.Start.AddMinutes(2));
        foreach (var user in new[] { middle, oldest, newest, tie })
        {
            await Store.Users.CreateUserAsync(user);
        }

        Assert.Equal<User>([oldest, middle, newest, tie], await Store.Users.ListUsersAsync());
    }

    [Fact]
    public async Task A_key_is_found_by_its_hash_and_by_its_id()
    {
        var user = Samples.User();
        await Store.Users.CreateUserAsync(user);
        var key = Samples.Key(user.Id);
        var other = Samples.Key(user.Id);
        await Store.Users.CreateKeyAsync(key);
        await Store.Users.CreateKeyAsync(other);

        Assert.Equal(key, await Store.Users.FindKeyByHashAsync(key.Hash));
        Assert.Equal(key, await Store.Users.GetKeyAsync(key.Id));
        Assert.Equal(other, await Store.Users.FindKeyByHashAsync(other.Hash));
        Assert.Null(await Store.Users.FindKeyByHashAsync(key.Hash.ToUpperInvariant()));
        Assert.Null(await Store.Users.FindKeyByHashAsync("00"));
        Assert.Null(await Store.Users.GetKeyAsync("key_unknown"));
    }

    [Fact]
    public async Task A_key_with_a_taken_hash_or_without_a_user_is_refused()
    {
        var user = Samples.User();
        await Store.Users.CreateUserAsync(user);
        var key = Samples.Key(user.Id);
        await Store.Users.CreateKeyAsync(key);

        await Assert.ThrowsAsync<InvalidOperationException>(() => Store.Users.CreateKeyAsync(Samples.Key(user.Id) with { Hash = key.Hash }));
        await Assert.ThrowsAsync<InvalidOperationException>(() => Store.Users.CreateKeyAsync(Samples.Key("user_unknown")));

        Assert.Equal(key, await Store.Users.FindKeyByHashAsync(key.Hash));
    }

    [Fact]
    public async Task Revoking_keeps_the_first_revocation_time()
    {
        var user = Samples.User();
        await Store.Users.CreateUserAsync(user);
        var key = Samples.Key(user.Id);
        await Store.Users.CreateKeyAsync(key);
        var firstTime = Samples.Start.AddDays(1).AddTicks(5);

        Assert.True(await Store.Users.RevokeKeyAsync(key.Id, firstTime));
        Assert.True(await Store.Users.RevokeKeyAsync(key.Id, firstTime.AddDays(1)));

        Assert.Equal(key with { RevokedAt = firstTime }, await Store.Users.GetKeyAsync(key.Id));
        Assert.Equal(key with { RevokedAt = firstTime }, await Store.Users.FindKeyByHashAsync(key.Hash));
    }

    [Fact]
    public async Task Revoking_an_unknown_key_returns_false()
    {
        Assert.False(await Store.Users.RevokeKeyAsync("key_unknown", Samples.Start));
    }

    [Fact]
    public async Task A_service_value_is_added_once_and_kept()
    {
        Assert.Null(await Store.Users.GetServiceValueAsync("admin_key_hash"));

        Assert.Equal("first", await Store.Users.GetOrAddServiceValueAsync("admin_key_hash", "first"));
        Assert.Equal("first", await Store.Users.GetOrAddServiceValueAsync("admin_key_hash", "second"));
        Assert.Equal("other", await Store.Users.GetOrAddServiceValueAsync("something_else", "other"));

        Assert.Equal("first", await Store.Users.GetServiceValueAsync("admin_key_hash"));
    }

    [Fact]
    public async Task Racing_get_or_add_calls_all_get_the_one_stored_value()
    {
        await using var otherProcess = await OpenAsync();
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var contenders = Enumerable.Range(0, 16).Select(async i =>
        {
            await go.Task;
            var users = i % 2 == 0 ? Store.Users : otherProcess.Users;
            return await users.GetOrAddServiceValueAsync("admin_key_hash", $"candidate-{i}");
        }).ToList();

        go.SetResult();
        var results = await Task.WhenAll(contenders);

        var stored = await Store.Users.GetServiceValueAsync("admin_key_hash");
        Assert.NotNull(stored);
        Assert.StartsWith("candidate-", stored);
        Assert.All(results, result => Assert.Equal(stored, result));
    }

    [Fact]
    public async Task A_users_keys_are_listed_oldest_first_revoked_ones_included_and_no_one_elses()
    {
        var user = Samples.User();
        var someoneElse = Samples.User();
        await Store.Users.CreateUserAsync(user);
        await Store.Users.CreateUserAsync(someoneElse);
        var first = Samples.Key(user.Id) with { CreatedAt = Samples.Start };
        var second = Samples.Key(user.Id) with { CreatedAt = Samples.Start.AddMinutes(1) };
        await Store.Users.CreateKeyAsync(second);
        await Store.Users.CreateKeyAsync(first);
        await Store.Users.CreateKeyAsync(Samples.Key(someoneElse.Id));
        await Store.Users.RevokeKeyAsync(first.Id, Samples.Start.AddMinutes(2));

        var keys = await Store.Users.ListKeysAsync(user.Id);

        Assert.Equal([first.Id, second.Id], keys.Select(k => k.Id));
        Assert.Equal(Samples.Start.AddMinutes(2), keys[0].RevokedAt);
        Assert.Empty(await Store.Users.ListKeysAsync("user_unknown"));
    }

    [Fact]
    public async Task Setting_a_service_value_replaces_the_earlier_one()
    {
        await Store.Users.SetServiceValueAsync("admin_key_hash", "first");
        await Store.Users.SetServiceValueAsync("admin_key_hash", "second");

        Assert.Equal("second", await Store.Users.GetServiceValueAsync("admin_key_hash"));
        Assert.Equal("second", await Store.Users.GetOrAddServiceValueAsync("admin_key_hash", "third"));
    }
}
