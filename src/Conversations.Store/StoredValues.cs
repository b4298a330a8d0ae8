using System.Collections.Immutable;
using System.Text.Encodings.Web;
using System.Text.Json;
using Conversations.Core.Messages;

using Conversations.Core.Responses;

namespace Conversations.Store;

/// <summary>
/// How domain values are written to columns, the same way in both stores.
/// <para>
/// Times are stored as UTC ticks (100 ns units since 0001-01-01) in a 64-bit integer: every
/// <see cref="DateTimeOffset"/> round-trips to the exact instant, with no loss to millisecond or
/// microsecond rounding, so a grain's in-memory history equals the history it reloads. Offsets are not
/// kept; values come back in UTC (<see cref="DateTimeOffset"/> equality compares instants, so that is
/// invisible to equality).
/// </para>
/// <para>
/// Roles and statuses are stored by explicit lowercase names (the wire names), so renaming an enum
/// member cannot silently change what old rows mean.
/// </para>
/// </summary>
internal static class StoredValues
{
    private static readonly JsonSerializerOptions StringMapJsonOptions = new()
    {
        // Keeps non-ASCII text readable in the database; the JSON never reaches a browser from here.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static long ToTicks(DateTimeOffset time) => time.UtcTicks;

    public static long? ToTicks(DateTimeOffset? time) => time?.UtcTicks;

    public static DateTimeOffset FromTicks(long ticks) => new(ticks, TimeSpan.Zero);

    public static string RoleName(MessageRole role) => role switch
    {
        MessageRole.System => "system",
        MessageRole.Developer => "developer",
        MessageRole.User => "user",
        MessageRole.Assistant => "assistant",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "No stored name for this role."),
    };

    public static MessageRole ParseRole(string name) => name switch
    {
        "system" => MessageRole.System,
        "developer" => MessageRole.Developer,
        "user" => MessageRole.User,
        "assistant" => MessageRole.Assistant,
        _ => throw new InvalidDataException($"Stored message role '{name}' is not known to this build."),
    };

    public static string ItemStatusName(Conversations.Core.Items.ItemStatus status) => status switch
    {
        Conversations.Core.Items.ItemStatus.Completed => "completed",
        Conversations.Core.Items.ItemStatus.Incomplete => "incomplete",
        Conversations.Core.Items.ItemStatus.InProgress => "in_progress",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "No stored name for this status."),
    };

    public static Conversations.Core.Items.ItemStatus ParseItemStatus(string name) => name switch
    {
        "completed" => Conversations.Core.Items.ItemStatus.Completed,
        "incomplete" => Conversations.Core.Items.ItemStatus.Incomplete,
        "in_progress" => Conversations.Core.Items.ItemStatus.InProgress,
        _ => throw new InvalidDataException($"Stored item status '{name}' is not known to this build."),
    };

    public static string TruncationName(Truncation truncation) => truncation == Truncation.Auto ? "auto" : "disabled";

    public static Truncation ParseTruncation(string name) => name switch
    {
        "auto" => Truncation.Auto,
        "disabled" => Truncation.Disabled,
        _ => throw new InvalidDataException($"Stored truncation '{name}' is not known to this build."),
    };

    public static string MetadataJson(ImmutableSortedDictionary<string, string> metadata) => StringMapJson(metadata);

    public static ImmutableSortedDictionary<string, string> ParseMetadata(string json) => ParseStringMap(json, "conversation metadata");

    /// <summary>A string map (metadata, a stored answer's headers) as a JSON object.</summary>
    public static string StringMapJson(ImmutableSortedDictionary<string, string> map) =>
        JsonSerializer.Serialize(map, StringMapJsonOptions);

    /// <summary>
    /// A string map read back from its JSON object. It comes back with the default key comparer: the
    /// entries are the ones stored, the comparer the writer used is not kept.
    /// </summary>
    public static ImmutableSortedDictionary<string, string> ParseStringMap(string json, string what) =>
        JsonSerializer.Deserialize<ImmutableSortedDictionary<string, string>>(json, StringMapJsonOptions)
        ?? throw new InvalidDataException($"Stored {what} is JSON null.");

    /// <summary>
    /// A batch of messages must not repeat a sequence: the store reads a taken sequence as "another
    /// writer got here first", which a batch colliding with itself is not.
    /// </summary>
    public static void RequireDistinctSequences(IReadOnlyList<Conversations.Core.Items.Item> items, string paramName)
    {
        var seen = new HashSet<long>();
        foreach (var item in items)
        {
            if (!seen.Add(item.Sequence))
            {
                throw new ArgumentException($"Two items share sequence {item.Sequence}.", paramName);
            }
        }
    }
}
