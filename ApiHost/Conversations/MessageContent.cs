namespace Conversations.ApiHost.Conversations;

/// <summary>How a message's <c>content</c> may be written, said once for every body that carries one.</summary>
internal static class MessageContent
{
    public const string Description =
        "A string, or an array of text parts ({\"type\": \"input_text\", \"text\": \"…\"}; \"output_text\" and \"text\" are accepted too), which are joined.";
}
