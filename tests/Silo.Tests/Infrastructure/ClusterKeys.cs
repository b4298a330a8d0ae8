namespace Conversations.Silo.Tests.Infrastructure;

public static class ClusterKeys
{
    public const string Admin = "sk-admin-c1u57e7000000000000000000000000000000000000000001";
    public const string User = "sk-conv-c1u57e7000000000000000000000000000000000000000001";
}
