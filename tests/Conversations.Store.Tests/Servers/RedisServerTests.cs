using Conversations.Testing.Databases;
using StackExchange.Redis;

namespace Conversations.Store.Tests.Servers;

/// <summary>The Redis fixture starts a real server a real client can use, and stops it.</summary>
public sealed class RedisServerTests
{
    [Fact]
    public async Task The_server_serves_a_client_and_is_gone_after_dispose()
    {
        var server = await RedisServer.StartAsync();
        try
        {
            Assert.True(await server.PingAsync());
            await using (var client = await ConnectionMultiplexer.ConnectAsync(server.Endpoint))
            {
                var db = client.GetDatabase();
                Assert.True(await db.StringSetAsync("greeting", "héllo 🙂"));
                Assert.Equal("héllo 🙂", (string?)await db.StringGetAsync("greeting"));
            }
        }
        finally
        {
            await server.DisposeAsync();
        }

        Assert.False(await server.PingAsync());
    }

    [Fact]
    public async Task Two_servers_get_different_ports()
    {
        var first = await RedisServer.StartAsync();
        var second = await RedisServer.StartAsync();
        try
        {
            Assert.NotEqual(first.Port, second.Port);
            Assert.True(await first.PingAsync());
            Assert.True(await second.PingAsync());
        }
        finally
        {
            await first.DisposeAsync();
            await second.DisposeAsync();
        }
    }
}
