namespace Conversations.Testing.Fuzzing;

/// <summary>
/// Placeholders a generated body or path may hold, replaced before sending by real ids: the caller's own
/// resources and another user's, so the suite checks that no route hands over another user's data.
/// </summary>
public static class FuzzIds
{
    public const string OwnConversation = "\"@own_conversation@\"";
    public const string ForeignConversation = "\"@foreign_conversation@\"";
    public const string OwnResponse = "\"@own_response@\"";
    public const string ForeignResponse = "\"@foreign_response@\"";
    public const string OwnItem = "\"@own_item@\"";
    public const string ForeignItem = "\"@foreign_item@\"";

    /// <summary>Replaces every placeholder in <paramref name="text"/> (JSON text or a path) by what <paramref name="ids"/> maps its name to.</summary>
    public static string Fill(string text, IReadOnlyDictionary<string, string> ids)
    {
        foreach (var (name, id) in ids)
        {
            text = text.Replace($"@{name}@", id, StringComparison.Ordinal);
        }

        return text;
    }
}
