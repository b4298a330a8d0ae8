namespace Conversations.Core.Requests;

/// <summary>
/// The shape of the ids the service hands out (<c>conv_…</c>, <c>msg_…</c>, <c>user_…</c>, <c>key_…</c>):
/// a short lowercase prefix, an underscore, then 1–64 letters or digits. Anything else is refused as
/// malformed before it reaches a grain, so a junk id never activates one.
/// </summary>
public static class Ids
{
    public const string ConversationPrefix = "conv_";
    public const string MessagePrefix = "msg_";
    public const string UserPrefix = "user_";
    public const string KeyPrefix = "key_";

    public static bool IsWellFormed(string id)
    {
        var underscore = id.IndexOf('_');
        if (underscore <= 0 || underscore > 8)
        {
            return false;
        }

        for (var i = 0; i < underscore; i++)
        {
            if (id[i] is < 'a' or > 'z')
            {
                return false;
            }
        }

        var rest = id.AsSpan(underscore + 1);
        if (rest.Length is 0 or > 64)
        {
            return false;
        }

        foreach (var c in rest)
        {
            if (!char.IsAsciiLetterOrDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    public static bool IsWellFormed(string id, string prefix) => id.StartsWith(prefix, StringComparison.Ordinal) && IsWellFormed(id);

    /// <summary>An id from a prefix and random bytes (the caller owns the randomness), as lowercase hex.</summary>
    public static string Create(string prefix, ReadOnlySpan<byte> random) =>
        prefix + Convert.ToHexStringLower(random);
}
