using System.Security.Cryptography;

namespace Conversations.Upstream;

/// <summary>Fresh ids in OpenAI's shape for replies the service makes itself.</summary>
public static class CompletionIds
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>A <c>chatcmpl-</c> id with 29 random letters and digits, as OpenAI's are.</summary>
    public static string NewCompletionId() => "chatcmpl-" + RandomNumberGenerator.GetString(Alphabet, 29);
}
