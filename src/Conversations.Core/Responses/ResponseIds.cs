namespace Conversations.Core.Responses;

/// <summary>Response ids: <c>resp_</c> and 32 lowercase hex digits, like every id the service makes.</summary>
public static class ResponseIds
{
    public const string Prefix = "resp_";
}
