using Conversations.ApiHost.Tests.Infrastructure;

namespace Conversations.ApiHost.Tests.MultiUser;

/// <summary>Deleting a conversation deletes it and its history for good, through a restart, and nothing else.</summary>
public sealed class DeletionTests
{
    [Fact]
    public async Task A_deleted_conversation_stays_gone_after_a_restart_and_the_owners_other_conversations_stay()
    {
        var data = RunningApiHost.NewDataDirectory();
        try
        {
            TestUser user;
            string deleted;
            string kept;
            await using (var first = await RunningApiHost.StartAsync(dataDirectory: data))
            {
                user = await first.Client(TestKeys.Admin).NewUser("deleter");
                var client = first.Client(user.Key);
                kept = await client.CreateConversation("""{"metadata":{"keep":"yes"}}""");
                deleted = await client.CreateConversation("""{"metadata":{"keep":"no"}}""");
                await client.Turn(kept, "Say kept");
                await client.Turn(deleted, "Say secret one");
                using (var stream = await client.StartStream(deleted, "Say secret two"))
                {
                    Assert.EndsWith("data: [DONE]\n\n", await stream.Content.ReadAsStringAsync(), StringComparison.Ordinal);
                }

                using var deleting = await client.DeleteAsync($"/v1/conversations/{deleted}");
                var answer = await deleting.ReadJson();
                Assert.Equal(HttpStatusCode.OK, deleting.StatusCode);
                Assert.Equal(deleted, answer.GetProperty("id").GetString());
                Assert.Equal("conversation.deleted", answer.GetProperty("object").GetString());
                Assert.True(answer.GetProperty("deleted").GetBoolean());

                await AssertGone(client, deleted);
                await (await client.DeleteAsync($"/v1/conversations/{deleted}")).AssertError(HttpStatusCode.NotFound, "not_found");
            }

            await using var second = await RunningApiHost.StartAsync(dataDirectory: data);
            var again = second.Client(user.Key);
            await AssertGone(again, deleted);
            var texts = (await again.Items(kept)).GetProperty("data").EnumerateArray().Select(i => i.GetProperty("content")[0].GetProperty("text").GetString());
            Assert.Equal(["Say kept", "Kept"], texts);
            var list = await (await again.GetAsync("/v1/conversations?limit=100")).ReadJson();
            Assert.Equal([kept], list.GetProperty("data").EnumerateArray().Select(c => c.GetProperty("id").GetString()));

            // No row of it is left in the database.
            await second.StopAsync();
            using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(data, "conversations.db")};Mode=ReadOnly;Pooling=False");
            connection.Open();
            using var count = connection.CreateCommand();
            count.CommandText = "SELECT (SELECT count(*) FROM conversations WHERE id = $id) + (SELECT count(*) FROM messages WHERE conversation_id = $id)";
            count.Parameters.AddWithValue("$id", deleted);
            Assert.Equal(0L, (long)count.ExecuteScalar()!);
        }
        finally
        {
            RunningApiHost.TryDelete(data);
        }
    }

    private static async Task AssertGone(HttpClient client, string id)
    {
        await (await client.GetAsync($"/v1/conversations/{id}")).AssertError(HttpStatusCode.NotFound, "not_found");
        await (await client.GetAsync($"/v1/conversations/{id}/items")).AssertError(HttpStatusCode.NotFound, "not_found");
        await (await client.SendMessage(id, "Say anything")).AssertError(HttpStatusCode.NotFound, "not_found");
        var list = await (await client.GetAsync("/v1/conversations?limit=100")).ReadJson();
        Assert.DoesNotContain(list.GetProperty("data").EnumerateArray(), c => c.GetProperty("id").GetString() == id);
    }
}
