using System.Text.Json;
using Conversations.Bench.Load;

namespace Conversations.Bench.Service;

/// <summary>Set-up calls to the service (not measured).</summary>
public static class ServiceCalls
{
    public static async Task<string> CreateConversationAsync(HttpClient client, ServiceUnderTest service)
    {
        using var request = BenchClient.Post(service.ConversationsUrl, Scenarios.Bodies.CreateConversation, ServiceUnderTest.UserKey);
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Creating a conversation answered {(int)response.StatusCode}: {text}");
        }

        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetString()!;
    }

    public static async Task<string[]> CreateConversationsAsync(HttpClient client, ServiceUnderTest service, int count, int parallelism = 16)
    {
        var ids = new string[count];
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (i, _) =>
            ids[i] = await CreateConversationAsync(client, service));
        return ids;
    }
}
