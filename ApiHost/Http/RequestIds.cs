using Conversations.Grains;

namespace Conversations.ApiHost.Http;

/// <summary>Request ids (<c>req_…</c>), as OpenAI's <c>x-request-id</c>.</summary>
public static class RequestIds
{
    public static string New() => IdGenerator.New("req_");
}
