using Conversations.Core.Items;
using System.Collections.Immutable;
using Conversations.Abstractions.Storage;
using Conversations.Core.Conversations;
using Conversations.Core.Messages;
using Conversations.Core.Requests;
using Conversations.Grains;
using Conversations.Grains.Access;
using Microsoft.Extensions.DependencyInjection;

namespace Conversations.Bench.Service;

/// <summary>Conversations written straight into the service's store (faster than through the API), owned by the default user.</summary>
public static class Seeding
{
    public static async Task<string[]> CreateAsync(ServiceUnderTest service, int count, int messages, Func<int, string> text, int parallelism = 4) =>
        await CreateAsync(service, count, messages, text, ConversationSettings.ForModel(Upstream.BenchUpstream.Model), parallelism);

    public static async Task<string[]> CreateAsync(ServiceUnderTest service, int count, int messages, Func<int, string> text, ConversationSettings settings, int parallelism = 4)
    {
        var store = service.Services.GetRequiredService<IConversationStore>();
        var ids = new string[count];
        var now = DateTimeOffset.UtcNow;
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (c, cancellationToken) =>
        {
            var id = IdGenerator.New(Ids.ConversationPrefix);
            var conversation = new Conversation(id, AccessGrain.DefaultUserId, now, ImmutableSortedDictionary<string, string>.Empty,
                settings, ConversationUsage.None);
            var items = new Item[messages];
            for (var i = 0; i < messages; i++)
            {
                items[i] = i % 2 == 0
                    ? new MessageItem(IdGenerator.New(Ids.MessagePrefix), i + 1, ItemStatus.Completed, now, null, MessageRole.User, [new ContentPart.InputText(text(i))])
                    : new MessageItem(IdGenerator.New(Ids.MessagePrefix), i + 1, ItemStatus.Completed, now,
                        new ReplyInfo(new TokenUsage(12, 6), Upstream.BenchUpstream.Model, "stop", "chatcmpl-bench"), MessageRole.Assistant, [ContentPart.OutputText.Of(text(i))]);
            }

            if (!await store.CreateAsync(conversation, items, cancellationToken))
            {
                throw new InvalidOperationException($"Conversation {id} was already taken.");
            }

            ids[c] = id;
        });
        return ids;
    }
}
