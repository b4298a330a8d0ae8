using Conversations.Core.Users;

namespace Conversations.Abstractions.Users;

/// <summary>A freshly issued key: the stored record, and the key itself, shown once.</summary>
[GenerateSerializer, Immutable]
public sealed record IssuedKey(
    [property: Id(0)] ApiKey Record,
    [property: Id(1)] string Key)
{
    /// <summary>
    /// Keeps the key out of <see cref="object.ToString"/>: Orleans logs message bodies at Trace, and
    /// the key must appear in no log.
    /// </summary>
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("Record = ").Append(Record).Append(", Key = (hidden)");
        return true;
    }
}
