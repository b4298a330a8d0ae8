namespace Conversations.Core.Requests;

/// <summary>
/// The bounds a request must stay within. Metadata, item-count, tool and identifier bounds follow OpenAI's.
/// Inline data (an image as a <c>data:</c> URL, a file's <c>file_data</c>) has no bound of its own: it is
/// as large as the request body may be.
/// </summary>
public static class RequestLimits
{
    public const int MaxMetadataPairs = 16;
    public const int MaxMetadataKeyLength = 64;
    public const int MaxMetadataValueLength = 512;

    /// <summary>Items a conversation is created with, and items one request appends to it.</summary>
    public const int MaxSeedItems = 20;

    public const int MaxModelLength = 256;
    public const int MaxInstructionsLength = 256_000;

    /// <summary>A message's text, all its parts together.</summary>
    public const int MaxContentLength = 4_000_000;

    public const int MaxTokensCeiling = 1_000_000;
    public const int MaxPageSize = 100;
    public const int DefaultPageSize = 20;

    /// <summary>The function tools one response may offer (OpenAI's bound on Chat Completions tools).</summary>
    public const int MaxTools = 128;

    /// <summary>A tool's or a JSON schema's description: prose for the model, like instructions.</summary>
    public const int MaxDescriptionLength = MaxInstructionsLength;

    /// <summary>The id a function call is answered by. Providers' ids are a few dozen characters.</summary>
    public const int MaxCallIdLength = 256;

    /// <summary>A function call's arguments, as long as a message's text may be.</summary>
    public const int MaxFunctionArgumentsLength = MaxContentLength;

    /// <summary>What a function returned (a page of search results, a file read), as long as a message's text may be.</summary>
    public const int MaxFunctionOutputLength = MaxContentLength;

    /// <summary>An image by <c>http(s)</c> address; far longer than any real one (signed URLs are a few kilobytes).</summary>
    public const int MaxImageUrlLength = 32_768;

    public const int MaxFilenameLength = 512;

    /// <summary>The deprecated end-user id <c>user</c>.</summary>
    public const int MaxUserLength = 256;

    public const int MaxSafetyIdentifierLength = 64;

    /// <summary>OpenAI refuses longer keys, so a longer one would only fail later, at the upstream.</summary>
    public const int MaxPromptCacheKeyLength = 64;

    public const int MaxTopLogprobs = 20;
}
