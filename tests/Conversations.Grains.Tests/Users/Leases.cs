using Conversations.Core.Users;

namespace Conversations.Grains.Tests.Users;

/// <summary>Reads either kind of stream lease the same way, for assertions over a mix of them.</summary>
internal static class Leases
{
    public static string Id(StreamLease lease) => lease is StreamLease.Granted granted ? granted.LeaseId : "";

    public static int? Limit(StreamLease lease) => lease switch
    {
        StreamLease.Granted granted => granted.Limit,
        StreamLease.Refused refused => refused.Limit,
        _ => throw new ArgumentOutOfRangeException(nameof(lease), lease, "Unknown stream lease."),
    };
}
