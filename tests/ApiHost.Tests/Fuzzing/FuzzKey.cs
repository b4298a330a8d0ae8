namespace Conversations.ApiHost.Tests.Fuzzing;

/// <summary>Who a fuzzed request claims to be.</summary>
public enum FuzzKey
{
    /// <summary>User A, whose resources are the "own" ids.</summary>
    Owner,

    /// <summary>User B: A's resources are another user's to them, and B's own are A's "foreign" ids.</summary>
    Stranger,

    Admin,

    /// <summary>A well-formed key that was never issued.</summary>
    Unknown,

    None,

    /// <summary>An Authorization header that is not a bearer key.</summary>
    Malformed,
}
