using Conversations.ApiHost.Tests.Infrastructure;

namespace Conversations.ApiHost.Tests.Conversations;

/// <summary>What was acknowledged survives the process: a clean restart, and a SIGKILL right after a 200.</summary>
public sealed class DurabilityTests
{
    [Fact]
    public async Task A_restarted_host_keeps_every_conversation_and_message()
    {
        var data = RunningApiHost.NewDataDirectory();
        try
        {
            string id;
            await using (var first = await RunningApiHost.StartAsync(dataDirectory: data))
            {
                var client = first.Client();
                id = await client.CreateConversation("""{"metadata":{"kept":"yes"}}""");
                await client.Turn(id, "Say one!");
                await client.Turn(id, "Say two!");
            }

            await using var second = await RunningApiHost.StartAsync(dataDirectory: data);
            var again = second.Client();
            var conversation = await (await again.GetAsync($"/v1/conversations/{id}")).ReadJson();
            Assert.Equal("yes", conversation.GetProperty("metadata").GetProperty("kept").GetString());
            Assert.Equal(2, conversation.GetProperty("usage").GetProperty("requests").GetInt64());
            var texts = (await again.Items(id)).GetProperty("data").EnumerateArray().Select(i => i.GetProperty("content")[0].GetProperty("text").GetString());
            Assert.Equal(["Say one!", "One!", "Say two!", "Two!"], texts);
        }
        finally
        {
            RunningApiHost.TryDelete(data);
        }
    }

    [Fact]
    public async Task Killing_the_process_right_after_a_200_loses_nothing()
    {
        var data = RunningApiHost.NewDataDirectory();
        var environment = new Dictionary<string, string?>
        {
            ["CONVERSATIONS_DATA_DIR"] = data,
            ["CONVERSATIONS_ADMIN_KEY"] = TestKeys.Admin,
            ["CONVERSATIONS_API_KEY"] = TestKeys.DefaultUser,
        };
        try
        {
            string id;
            await using (var first = await ApiHostProcess.StartAsync(environment, data))
            {
                var client = first.Client();
                id = await client.CreateConversation();
                await client.Turn(id, "Say single!");
                using (var stream = await client.StartStream(id, "Say streamed!"))
                {
                    Assert.EndsWith("data: [DONE]\n\n", await stream.Content.ReadAsStringAsync(), StringComparison.Ordinal);
                }

                await first.KillAsync();
            }

            await using var second = await ApiHostProcess.StartAsync(environment, data);
            var texts = (await second.Client().Items(id)).GetProperty("data").EnumerateArray().Select(i => i.GetProperty("content")[0].GetProperty("text").GetString());
            Assert.Equal(["Say single!", "Single!", "Say streamed!", "Streamed!"], texts);
        }
        finally
        {
            RunningApiHost.TryDelete(data);
        }
    }
}
