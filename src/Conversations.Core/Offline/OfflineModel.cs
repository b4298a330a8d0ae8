using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Conversations.Core.Upstream;

namespace Conversations.Core.Offline;

/// <summary>
/// The built-in model used when no real one is configured. It does not think: it answers from the last
/// user message's text, deterministically, so a service with no network still works end to end and says
/// plainly that it is offline. It never calls a tool, whatever tools it is offered, and it does not look
/// at images or files beyond counting them.
/// </summary>
public static class OfflineModel
{
    public const string ModelId = "offline";
    public const string OwnedBy = "conversations";

    private const int MaxEcho = 200;
    private const int MinChunks = 3;

    public static OfflineReply Answer(UpstreamChatRequest request, Func<string, long> countTokens)
    {
        var reply = Reply(request.Messages);
        var chunks = Chunks(reply);
        var finishReason = "stop";
        if (request.MaxTokens is { } maxTokens && countTokens(reply) > maxTokens)
        {
            chunks = Fit(chunks, maxTokens, countTokens);
            reply = string.Concat(chunks);
            finishReason = "length";
        }

        var usage = new Messages.TokenUsage(PromptTokens.Count(request, countTokens), countTokens(reply));
        return new OfflineReply(reply, chunks, finishReason, usage);
    }

    /// <summary>
    /// "Say …" is done as asked ("Say this is a test!" → "This is a test!"); anything else is echoed back in
    /// a reply that names the offline model and how to reach a real one. A message of images or files
    /// with no text gets a reply that says what arrived.
    /// </summary>
    public static string Reply(IReadOnlyList<UpstreamMessage> messages)
    {
        UpstreamMessage? last = null;
        for (var i = messages.Count - 1; i >= 0; i--)
        {
            if (messages[i].Role == UpstreamRoles.User)
            {
                last = messages[i];
                break;
            }
        }

        var lastUser = last?.Content.Trim() ?? "";
        if (lastUser.Length == 0)
        {
            return last is not null && Attachments(last) is { Length: > 0 } attachments
                ? $"[offline model] You sent {attachments} and no text. This reply comes from the built-in offline model, "
                    + "which does not look at images or files; set OPENAI_API_KEY or OPENAI_BASE_URL to talk to a real model."
                : "The offline model has no message to answer yet. Send one and it will reply.";
        }

        if (lastUser == Context.Compactions.Instruction)
        {
            return Summary(messages);
        }

        if (SayRequest(lastUser) is { } said)
        {
            return said;
        }

        var collapsed = string.Join(' ', lastUser.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        var words = collapsed.Split(' ').Length;
        var echo = new StringInfo(collapsed).LengthInTextElements > MaxEcho
            ? new StringInfo(collapsed).SubstringByTextElements(0, MaxEcho) + "…"
            : collapsed;
        return $"[offline model] You said: \"{echo}\" ({words} {(words == 1 ? "word" : "words")}). "
            + "This reply comes from the built-in offline model, not a language model; "
            + "set OPENAI_API_KEY or OPENAI_BASE_URL to talk to a real one.";
    }

    /// <summary>
    /// A compaction's summary, made without a model: how many user messages there were (and whether an earlier
    /// summary came first), with the first and the last few quoted in short. The same messages always give the
    /// same summary, and it stays short however long the conversation was.
    /// </summary>
    private static string Summary(IReadOnlyList<UpstreamMessage> messages)
    {
        const int Quoted = 3;
        var said = new List<string>();
        var earlier = false;
        for (var i = 0; i < messages.Count - 1; i++)
        {
            if (messages[i].Role == UpstreamRoles.User && messages[i].Content.Trim() is { Length: > 0 } text)
            {
                said.Add(Short(text));
            }

            earlier |= messages[i].Role == UpstreamRoles.System && messages[i].Content.StartsWith(Context.Compactions.ContextLead, StringComparison.Ordinal);
        }

        var quoted = said.Count <= 2 * Quoted ? said : [.. said.Take(Quoted), "…", .. said.TakeLast(Quoted)];
        var lead = earlier ? "An earlier summary, then " : "";
        return $"[offline model] {lead}{said.Count} user {(said.Count == 1 ? "message" : "messages")}"
            + (said.Count == 0 ? "." : ": " + string.Join("; ", quoted.Select(q => q == "…" ? q : $"\"{q}\"")) + ".");

        static string Short(string text)
        {
            var collapsed = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
            return new StringInfo(collapsed).LengthInTextElements > 60 ? new StringInfo(collapsed).SubstringByTextElements(0, 60) + "…" : collapsed;
        }
    }

    /// <summary>
    /// The reply cut into the pieces a stream sends: each word with the space before it, and at least three
    /// pieces for any reply of three or more characters, so a stream always has several deltas.
    /// Joined, the pieces are the reply.
    /// </summary>
    public static ImmutableArray<string> Chunks(string reply)
    {
        var pieces = ImmutableArray.CreateBuilder<string>();
        var start = 0;
        for (var i = 1; i < reply.Length; i++)
        {
            if (char.IsWhiteSpace(reply[i]) && !char.IsWhiteSpace(reply[i - 1]))
            {
                pieces.Add(reply[start..i]);
                start = i;
            }
        }

        if (reply.Length > 0)
        {
            pieces.Add(reply[start..]);
        }

        return pieces.Count >= MinChunks ? pieces.ToImmutable() : ByTextElements(reply);
    }

    /// <summary>A short reply split into up to three runs of whole characters (never inside a surrogate pair or grapheme).</summary>
    private static ImmutableArray<string> ByTextElements(string reply)
    {
        var elements = new List<string>();
        var enumerator = StringInfo.GetTextElementEnumerator(reply);
        while (enumerator.MoveNext())
        {
            elements.Add(enumerator.GetTextElement());
        }

        var count = Math.Min(MinChunks, elements.Count);
        var pieces = ImmutableArray.CreateBuilder<string>(count);
        var taken = 0;
        for (var piece = 0; piece < count; piece++)
        {
            var size = (elements.Count - taken) / (count - piece);
            var text = new StringBuilder();
            for (var i = 0; i < size; i++)
            {
                text.Append(elements[taken + i]);
            }

            taken += size;
            pieces.Add(text.ToString());
        }

        return pieces.MoveToImmutable();
    }

    /// <summary>The leading pieces that fit in <paramref name="maxTokens"/>.</summary>
    private static ImmutableArray<string> Fit(ImmutableArray<string> chunks, int maxTokens, Func<string, long> countTokens)
    {
        var kept = 0;
        var text = new StringBuilder();
        foreach (var chunk in chunks)
        {
            text.Append(chunk);
            if (countTokens(text.ToString()) > maxTokens)
            {
                break;
            }

            kept++;
        }

        return chunks[..kept];
    }

    /// <summary>"1 image", "2 images and 1 file", …; empty when the message has neither.</summary>
    private static string Attachments(UpstreamMessage message)
    {
        int images = 0, files = 0;
        foreach (var part in message.Parts.AsSpan())
        {
            switch (part)
            {
                case UpstreamContentPart.ImageUrl:
                    images++;
                    break;
                case UpstreamContentPart.File:
                    files++;
                    break;
            }
        }

        string[] counted = [.. Counted(images, "image"), .. Counted(files, "file")];
        return string.Join(" and ", counted);

        static IEnumerable<string> Counted(int count, string noun) =>
            count == 0 ? [] : [$"{count} {noun}{(count == 1 ? "" : "s")}"];
    }

    private static string? SayRequest(string message)
    {
        const string verb = "say ";
        if (!message.StartsWith(verb, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var what = message[verb.Length..].Trim().Trim('"', '\'', '“', '”').Trim();
        if (new StringInfo(what).LengthInTextElements < MinChunks)
        {
            return null;
        }

        return char.ToUpperInvariant(what[0]) + what[1..];
    }
}
