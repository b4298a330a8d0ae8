namespace Conversations.Core.Requests;

/// <summary>The bounds a request must stay within. Metadata bounds follow OpenAI's.</summary>
public static class RequestLimits
{
    public const int MaxMetadataPairs = 16;
    public const int MaxMetadataKeyLength = 64;
    public const int MaxMetadataValueLength = 512;
    public const int MaxSeedItems = 20;
    public const int MaxModelLength = 256;
    public const int MaxInstructionsLength = 256_000;
    public const int MaxContentLength = 4_000_000;
    public const int MaxTokensCeiling = 1_000_000;
    public const int MaxPageSize = 100;
    public const int DefaultPageSize = 20;
}
