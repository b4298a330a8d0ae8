using System.Globalization;
using System.Text;
using Conversations.Core.Conversations;
using Conversations.Core.Items;
using Conversations.Core.Messages;

namespace Conversations.Core.Exports;

/// <summary>
/// A conversation as a file a person keeps: a Markdown transcript (the title, then each item under a heading
/// naming who said it), and the file's name.
/// </summary>
public static class ConversationExport
{
    /// <summary>The metadata key a conversation's title is kept under (the console's rename writes it).</summary>
    public const string TitleKey = "title";

    /// <summary>How much of a <c>data:</c> URL's data a transcript shows: enough to recognise it, not megabytes of base64.</summary>
    private const int DataShown = 24;

    private const int SlugLength = 40;

    public static string ContentType(ExportFormat format) => format switch
    {
        ExportFormat.Markdown => "text/markdown; charset=utf-8",
        ExportFormat.Json => "application/json",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown export format."),
    };

    /// <summary>
    /// <c>conv_….md</c> or <c>.json</c>, led by the title made safe for any file system
    /// (<c>trip-to-paris-conv_….md</c>) when the conversation has one.
    /// </summary>
    public static string FileName(Conversation conversation, ExportFormat format)
    {
        var extension = format == ExportFormat.Markdown ? "md" : "json";
        var slug = Slug(Title(conversation) ?? "");
        return slug.Length == 0 ? $"{conversation.Id}.{extension}" : $"{slug}-{conversation.Id}.{extension}";
    }

    /// <summary>The conversation's title from its metadata, on one line; null when it has none.</summary>
    public static string? Title(Conversation conversation) =>
        conversation.Metadata.TryGetValue(TitleKey, out var title) && OneLine(title) is { Length: > 0 } line ? line : null;

    /// <summary>
    /// The transcript of <paramref name="items"/> (oldest first): text as it was written, images as a note with
    /// their address (a <c>data:</c> URL cut short), files by name, function calls and their outputs as fenced blocks,
    /// and a note under anything that was cut short.
    /// </summary>
    public static string Markdown(Conversation conversation, IReadOnlyList<Item> items)
    {
        var text = new StringBuilder();
        text.Append("# ").Append(Title(conversation) ?? $"Conversation {conversation.Id}").Append("\n\n");
        text.Append("- Conversation: `").Append(conversation.Id).Append("`\n");
        text.Append("- Created: ").Append(conversation.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)).Append('\n');
        text.Append("- Model: ").Append(conversation.Settings.Model).Append('\n');
        if (items.Count == 0)
        {
            text.Append("\n*No messages yet.*\n");
        }

        foreach (var item in items)
        {
            text.Append('\n');
            Append(text, item);
            if (item.Status == ItemStatus.Incomplete)
            {
                text.Append("\n*Incomplete: this was cut short.*\n");
            }
        }

        return text.ToString();
    }

    private static void Append(StringBuilder text, Item item)
    {
        switch (item)
        {
            case MessageItem message:
                text.Append("## ").Append(Heading(message.Role)).Append("\n\n");
                AppendContent(text, message.Content);
                break;
            case FunctionCallItem call:
                text.Append("## Function call: ").Append(OneLine(call.Name)).Append("\n\n");
                text.Append("Call id: `").Append(OneLine(call.CallId)).Append("`\n\n");
                AppendFenced(text, call.Arguments, "json");
                break;
            case FunctionCallOutputItem output:
                text.Append("## Function output\n\n");
                text.Append("Call id: `").Append(OneLine(output.CallId)).Append("`\n\n");
                AppendFenced(text, output.Output, "");
                break;
            case CompactionItem compaction:
                text.Append("## Compaction\n\n*What the model is given from here on in place of everything above:*\n\n");
                AppendFenced(text, compaction.Summary, "");
                break;
            default:
                // A kind of item added after this transcript was written: say it is there rather than drop it.
                text.Append("## Item `").Append(item.Id).Append("`\n\n*Not shown in this transcript.*\n");
                break;
        }
    }

    private static void AppendContent(StringBuilder text, IEnumerable<ContentPart> parts)
    {
        var first = true;
        foreach (var part in parts)
        {
            if (!first)
            {
                text.Append('\n');
            }

            first = false;
            switch (part)
            {
                case ContentPart.InputText input:
                    text.Append(input.Text.TrimEnd()).Append('\n');
                    break;
                case ContentPart.OutputText output:
                    text.Append(output.Text.TrimEnd()).Append('\n');
                    break;
                case ContentPart.InputImage image:
                    text.Append("*Image:* <").Append(Address(image.ImageUrl)).Append(">\n");
                    break;
                case ContentPart.InputFile file:
                    text.Append("*File:* ").Append(OneLine(file.Filename)).Append('\n');
                    break;
                case ContentPart.Refusal refusal:
                    text.Append("*Refused:* ").Append(refusal.Text.TrimEnd()).Append('\n');
                    break;
            }
        }

        if (first)
        {
            text.Append("*(empty)*\n");
        }
    }

    /// <summary>
    /// A fenced code block whose fence is longer than any run of backticks in <paramref name="content"/>, so the
    /// content cannot end it early (CommonMark's rule).
    /// </summary>
    private static void AppendFenced(StringBuilder text, string content, string language)
    {
        var longest = 0;
        var run = 0;
        foreach (var c in content)
        {
            run = c == '`' ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }

        var fence = new string('`', Math.Max(3, longest + 1));
        text.Append(fence).Append(language).Append('\n').Append(content);
        if (!content.EndsWith('\n'))
        {
            text.Append('\n');
        }

        text.Append(fence).Append('\n');
    }

    /// <summary>An image's address as a transcript shows it: a <c>data:</c> URL as its media type, its first characters and its length.</summary>
    private static string Address(string url)
    {
        if (!url.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            return OneLine(url);
        }

        var comma = url.IndexOf(',', StringComparison.Ordinal);
        var header = comma < 0 ? url[..Math.Min(url.Length, DataShown)] : url[..(comma + 1)];
        var data = comma < 0 ? "" : url[(comma + 1)..];
        return data.Length <= DataShown
            ? OneLine(url)
            : $"{OneLine(header)}{data[..DataShown]}… ({url.Length.ToString("N0", CultureInfo.InvariantCulture)} characters)";
    }

    private static string Heading(MessageRole role) => role switch
    {
        MessageRole.System => "System",
        MessageRole.Developer => "Developer",
        MessageRole.User => "User",
        MessageRole.Assistant => "Assistant",
        _ => Roles.ToWire(role),
    };

    /// <summary>Text for a heading or a note: line breaks and runs of white space as one space.</summary>
    private static string OneLine(string text) =>
        string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private static string Slug(string title)
    {
        var slug = new StringBuilder();
        foreach (var c in title.ToLowerInvariant())
        {
            if (c is >= 'a' and <= 'z' or >= '0' and <= '9')
            {
                slug.Append(c);
            }
            else if (slug.Length > 0 && slug[^1] != '-')
            {
                slug.Append('-');
            }

            if (slug.Length >= SlugLength)
            {
                break;
            }
        }

        return slug.ToString().Trim('-');
    }
}
