using System.Buffers;
using System.Collections.Immutable;
using Conversations.Core.Context;
using Conversations.Core.Items;
using Conversations.Core.Messages;
using Conversations.Core.Responses;

namespace Conversations.Core.Upstream;

/// <summary>
/// Turns what a turn is asked into the request sent upstream: a response's settings, its context items (a
/// conversation's history, or a chain's) and its input items.
/// </summary>
public static class ChatRequestBuilder
{
    /// <summary>One message's JSON as it appears in <c>messages</c>, after a comma when it follows another.</summary>
    public static byte[] Json(UpstreamMessage message, bool leadingComma)
    {
        var buffer = new ArrayBufferWriter<byte>(message.Content.Length + 32);
        if (leadingComma)
        {
            buffer.Write(","u8);
        }

        UpstreamRequestJson.WriteMessage(buffer, message);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// The request for a response: its instructions (when there are any) lead as a system message, then
    /// the context items (a conversation's, or a chain's), then the input items, each run made into
    /// messages as <see cref="ForUpstream(ReadOnlySpan{Item}, bool)"/> says, then the settings that map onto
    /// Chat Completions.
    /// </summary>
    public static UpstreamChatRequest Build(string model, ResponseSettings settings, ReadOnlySpan<Item> context, ReadOnlySpan<Item> input, bool stream)
    {
        var messages = ImmutableArray.CreateBuilder<UpstreamMessage>(context.Length + input.Length + 1);
        if (!string.IsNullOrEmpty(settings.Instructions))
        {
            messages.Add(new UpstreamMessage(UpstreamRoles.System, settings.Instructions));
        }

        // One run, not two: the input's function calls may join the context's last assistant message.
        Translate(Concat(context, input), messages, out _);
        return Request(model, settings, messages.DrainToImmutable(), stream);
    }

    /// <summary>
    /// The same request as <see cref="Build(string, ResponseSettings, ReadOnlySpan{Item}, ReadOnlySpan{Item}, bool)"/>,
    /// from a context kept in upstream form: <paramref name="prepared"/> holds the messages of the context's
    /// first items (settled ones: see <see cref="UpstreamItems.SettledItems"/>) with their JSON, reused as it
    /// is; <paramref name="unprepared"/> are the context's items after those, made into messages together
    /// with the input.
    /// </summary>
    public static UpstreamChatRequest Build(
        string model, ResponseSettings settings, UpstreamHistory prepared, ReadOnlySpan<Item> unprepared, ReadOnlySpan<Item> input, bool stream)
    {
        var rest = ForUpstream(Concat(unprepared, input), leadingComma: false);
        return Build(model, settings, [prepared, new UpstreamHistory(rest.Messages, rest.Json)], stream);
    }

    /// <summary>
    /// The request whose messages are <paramref name="parts"/> in order (each written as JSON already, without a
    /// leading comma), after the instructions' system message when there are instructions. A context fitted into
    /// its window is sent this way: the system and developer messages kept from before the cut, then the kept
    /// history, then the rest.
    /// </summary>
    public static UpstreamChatRequest Build(string model, ResponseSettings settings, ReadOnlySpan<UpstreamHistory> parts, bool stream)
    {
        var count = 1;
        var segments = 1;
        foreach (var part in parts)
        {
            count += part.Messages.Length;
            segments += part.Json.Length + 1;
        }

        var messages = ImmutableArray.CreateBuilder<UpstreamMessage>(count);
        var json = ImmutableArray.CreateBuilder<ReadOnlyMemory<byte>>(segments);
        if (!string.IsNullOrEmpty(settings.Instructions))
        {
            var system = new UpstreamMessage(UpstreamRoles.System, settings.Instructions);
            messages.Add(system);
            json.Add(Json(system, leadingComma: false));
        }

        foreach (var part in parts)
        {
            if (part.Messages.IsEmpty)
            {
                continue;
            }

            if (messages.Count > 0)
            {
                json.Add(Comma);
            }

            messages.AddRange(part.Messages);
            json.AddRange(part.Json);
        }

        return Request(model, settings, messages.DrainToImmutable(), stream) with
        {
            MessagesJson = new PreparedMessages(json.DrainToImmutable()),
        };
    }

    /// <summary>
    /// The messages of <paramref name="history"/> from <paramref name="from"/> on, as a part of a request: the
    /// first one's JSON written again without the comma that led it.
    /// </summary>
    public static UpstreamHistory From(UpstreamHistory history, int from)
    {
        if (from == 0 || from >= history.Messages.Length)
        {
            return from == 0 ? history : UpstreamHistory.Empty;
        }

        var json = ImmutableArray.CreateBuilder<ReadOnlyMemory<byte>>(history.Json.Length - from);
        json.Add(Json(history.Messages[from], leadingComma: false));
        json.AddRange(history.Json.AsSpan()[(from + 1)..]);
        return new UpstreamHistory(history.Messages[from..], json.MoveToImmutable());
    }

    /// <summary>
    /// A run of items as upstream messages, each with its JSON as one segment (the first after a comma
    /// when <paramref name="leadingComma"/>, every later one after a comma), so a conversation can keep its
    /// history in this form and extend it as items are added.
    /// <para>
    /// Items before the last compaction are left out (it summarises them), and so are items that are not sent
    /// (<see cref="IsSent(Item)"/>); the rest become messages
    /// one by one, except function calls. Consecutive function calls become ONE assistant message whose
    /// <c>tool_calls</c> list them in order, as Chat Completions expects the calls a model made together, to
    /// be followed by one <c>tool</c> message per call. An assistant message followed directly by function
    /// calls carries them too (its text and refusal, then the calls), as the upstream sent them, when the
    /// message did not end its turn (<see cref="Item.Reply"/> is null): a message that ended a turn is not
    /// the preamble of calls that came later, so calls after it form a message of their own.
    /// </para>
    /// <para>
    /// Such an assistant message is open: items added after the run may still join it. The run's
    /// <see cref="UpstreamItems.SettledItems"/> stops before it, so a caller that keeps the messages of
    /// the settled items can make the rest again, together with what comes next, and get exactly the
    /// messages (and bytes) it would get from the whole history.
    /// </para>
    /// </summary>
    public static UpstreamItems ForUpstream(ReadOnlySpan<Item> items, bool leadingComma)
    {
        var messages = ImmutableArray.CreateBuilder<UpstreamMessage>(items.Length);
        var starts = ImmutableArray.CreateBuilder<int>(items.Length);
        var settledMessages = Translate(items, messages, out var settledItems, starts);
        var json = ImmutableArray.CreateBuilder<ReadOnlyMemory<byte>>(messages.Count);
        for (var i = 0; i < messages.Count; i++)
        {
            json.Add(Json(messages[i], leadingComma: leadingComma || i > 0));
        }

        return new UpstreamItems(messages.DrainToImmutable(), json.MoveToImmutable(), settledItems, settledMessages) { ItemStarts = starts.DrainToImmutable() };
    }

    /// <summary>
    /// Whether an item goes upstream. All do but an assistant message cut short before any text or refusal
    /// arrived (the user saw nothing), and a function call that is not complete: one cut short has
    /// arguments the model never finished, and no client answers it.
    /// </summary>
    public static bool IsSent(Item item) => item switch
    {
        MessageItem { Role: MessageRole.Assistant, Status: not ItemStatus.Completed } message => HasTextOrRefusal(message.Content),
        FunctionCallItem call => call.Status == ItemStatus.Completed,
        _ => true,
    };

    /// <summary>
    /// Appends the messages of <paramref name="items"/> and returns how many of them are settled (all but
    /// an open last one); <paramref name="settledItems"/> is how many items made those, and
    /// <paramref name="starts"/> (when given) gets the position of each message's first item.
    /// </summary>
    private static int Translate(ReadOnlySpan<Item> items, ImmutableArray<UpstreamMessage>.Builder messages, out int settledItems, ImmutableArray<int>.Builder? starts = null)
    {
        var first = messages.Count;
        var openFrom = -1;
        // A compaction stands for everything before it: the context starts there.
        var i = Compactions.LastIn(items) ?? 0;
        while (i < items.Length)
        {
            if (!IsSent(items[i]))
            {
                i++;
                continue;
            }

            var start = i;
            starts?.Add(start);
            switch (items[i])
            {
                case MessageItem { Role: MessageRole.Assistant } assistant:
                    i++;
                    var canJoin = assistant.Reply is null;
                    messages.Add(AssistantMessage(assistant, canJoin ? Calls(items, ref i) : []));
                    openFrom = canJoin ? start : -1;
                    break;
                case FunctionCallItem:
                    messages.Add(new UpstreamMessage(UpstreamRoles.Assistant, "") { ToolCalls = Calls(items, ref i) });
                    openFrom = start;
                    break;
                case FunctionCallOutputItem output:
                    i++;
                    messages.Add(UpstreamMessage.ToolResult(output.CallId, output.Output));
                    openFrom = -1;
                    break;
                case MessageItem message:
                    i++;
                    messages.Add(InputMessage(message));
                    openFrom = -1;
                    break;
                case CompactionItem compaction:
                    i++;
                    messages.Add(new UpstreamMessage(UpstreamRoles.System, Compactions.AsContext(compaction)));
                    openFrom = -1;
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(items), items[i], "An item the upstream has no form for.");
            }
        }

        settledItems = openFrom < 0 ? items.Length : openFrom;
        return messages.Count - first - (openFrom < 0 ? 0 : 1);
    }

    /// <summary>The function calls from <paramref name="i"/> on (unsent items between them left out), as tool calls; <paramref name="i"/> ends past them.</summary>
    private static ImmutableArray<UpstreamToolCall> Calls(ReadOnlySpan<Item> items, ref int i)
    {
        var calls = ImmutableArray.CreateBuilder<UpstreamToolCall>();
        for (var j = i; j < items.Length; j++)
        {
            if (!IsSent(items[j]))
            {
                continue;
            }

            if (items[j] is not FunctionCallItem call)
            {
                break;
            }

            calls.Add(new UpstreamToolCall(call.CallId, call.Name, call.Arguments));
            i = j + 1;
        }

        return calls.DrainToImmutable();
    }

    /// <summary>An assistant message: its text as the content and its refusal (when it has one); images and files have no place in one.</summary>
    private static UpstreamMessage AssistantMessage(MessageItem message, ImmutableArray<UpstreamToolCall> calls)
    {
        string? refusal = null;
        foreach (var part in message.Content)
        {
            if (part is ContentPart.Refusal said)
            {
                refusal = refusal is null ? said.Text : refusal + said.Text;
            }
        }

        return new UpstreamMessage(UpstreamRoles.Assistant, message.Text) { Refusal = refusal, ToolCalls = calls };
    }

    /// <summary>
    /// A system, developer or user message: one text is sent as the content string (so a text-only message
    /// is written as it always was); anything else as an array of parts.
    /// </summary>
    private static UpstreamMessage InputMessage(MessageItem message)
    {
        var role = UpstreamRoles.WireName(message.Role);
        if (message.Content is [] or [ContentPart.InputText] or [ContentPart.OutputText])
        {
            return new UpstreamMessage(role, message.Text);
        }

        var parts = ImmutableArray.CreateBuilder<UpstreamContentPart>(message.Content.Length);
        foreach (var part in message.Content)
        {
            parts.Add(part switch
            {
                ContentPart.InputText text => new UpstreamContentPart.Text(text.Text),
                ContentPart.OutputText text => new UpstreamContentPart.Text(text.Text),
                ContentPart.InputImage image => new UpstreamContentPart.ImageUrl(image.ImageUrl, image.Detail),
                ContentPart.InputFile file => new UpstreamContentPart.File(file.FileData, file.Filename),
                // Only the model refuses; one in another role's message is still sent, as the text it is.
                ContentPart.Refusal refusal => new UpstreamContentPart.Text(refusal.Text),
                _ => throw new ArgumentOutOfRangeException(nameof(message), part, "A content part the upstream has no form for."),
            });
        }

        return new UpstreamMessage(role, message.Text) { Parts = parts.MoveToImmutable() };
    }

    private static bool HasTextOrRefusal(ImmutableArray<ContentPart> content)
    {
        foreach (var part in content)
        {
            if (part is ContentPart.InputText { Text.Length: > 0 } or ContentPart.OutputText { Text.Length: > 0 } or ContentPart.Refusal { Text.Length: > 0 })
            {
                return true;
            }
        }

        return false;
    }

    private static ReadOnlySpan<Item> Concat(ReadOnlySpan<Item> first, ReadOnlySpan<Item> second)
    {
        if (first.IsEmpty || second.IsEmpty)
        {
            return first.IsEmpty ? second : first;
        }

        Item[] both = [.. first, .. second];
        return both;
    }

    private static UpstreamChatRequest Request(string model, ResponseSettings settings, ImmutableArray<UpstreamMessage> messages, bool stream) =>
        new(model, messages, settings.Temperature, settings.TopP, settings.MaxOutputTokens, stream)
        {
            Tools = settings.Tools,
            ToolChoice = settings.ToolChoice,
            ParallelToolCalls = settings.ParallelToolCalls,
            ResponseFormat = settings.Text,
            ReasoningEffort = settings.ReasoningEffort,
            User = settings.User,
            SafetyIdentifier = settings.SafetyIdentifier,
            PromptCacheKey = settings.PromptCacheKey,
        };

    private static readonly ReadOnlyMemory<byte> Comma = ","u8.ToArray();
}
