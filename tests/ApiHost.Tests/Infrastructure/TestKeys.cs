namespace Conversations.ApiHost.Tests.Infrastructure;

/// <summary>Keys the test hosts are configured with, shaped like the ones the service issues.</summary>
public static class TestKeys
{
    public const string Admin = "sk-admin-a11ce0000000000000000000000000000000000000000001";
    public const string DefaultUser = "sk-conv-d3fa017000000000000000000000000000000000000000001";

    /// <summary>The provider key the fake upstream expects; it must never reach a client or a log.</summary>
    public const string Upstream = "sk-upstream-5ecre7-never-shown-9f8e7d6c5b4a";
}
