using System.Collections.Immutable;
using Conversations.Core.Responses;

namespace Conversations.Core.Upstream;

/// <summary>
/// Counts a request's prompt the way OpenAI bills chat models: every message costs its role and content
/// plus a fixed framing of 3 tokens, and the reply is primed with 3 more. Beyond text it is an estimate.
/// It is what fits a context into a model's window, what <c>POST /v1/responses/input_tokens</c> answers,
/// and the usage of a turn whose upstream reported none:
/// <list type="bullet">
/// <item>an image costs a flat <see cref="ImageTokens"/> (<see cref="LowDetailImageTokens"/> at <c>low</c>
/// detail): OpenAI's price of a 1024×1024 image, since the real size is not looked at;</item>
/// <item>a file costs a flat <see cref="FileTokens"/>, since its text is not extracted;</item>
/// <item>a tool call costs its name and arguments plus the framing of a message, and a refusal its text;</item>
/// <item>a tool offered to the model costs its name, description and parameter schema plus that framing.</item>
/// </list>
/// </summary>
public static class PromptTokens
{
    public const long ImageTokens = 765;
    public const long LowDetailImageTokens = 85;
    public const long FileTokens = 1000;

    /// <summary>What every request costs before its messages: the priming of the reply.</summary>
    public const long ReplyPriming = 3;

    private const long PerMessage = 3;

    public static long Count(IEnumerable<UpstreamMessage> messages, Func<string, long> countTokens)
    {
        var total = ReplyPriming;
        foreach (var message in messages)
        {
            total += Message(message, countTokens);
        }

        return total;
    }

    /// <summary>The request's messages as <see cref="Count(IEnumerable{UpstreamMessage}, Func{string, long})"/> counts them, and the tools it offers.</summary>
    public static long Count(UpstreamChatRequest request, Func<string, long> countTokens) =>
        Count(request.Messages, countTokens) + Tools(request.Tools, countTokens);

    /// <summary>One message: its framing, role and content, and what it carries beyond text.</summary>
    public static long Message(UpstreamMessage message, Func<string, long> countTokens)
    {
        // Content is the message's text, its text parts included, so only the other parts add to it.
        var total = PerMessage + countTokens(message.Role) + countTokens(message.Content);
        foreach (var part in message.Parts.AsSpan())
        {
            total += part switch
            {
                UpstreamContentPart.ImageUrl { Detail: "low" } => LowDetailImageTokens,
                UpstreamContentPart.ImageUrl => ImageTokens,
                UpstreamContentPart.File => FileTokens,
                _ => 0,
            };
        }

        if (message.Refusal is { } refusal)
        {
            total += countTokens(refusal);
        }

        foreach (var call in message.ToolCalls.AsSpan())
        {
            total += PerMessage + countTokens(call.Name) + countTokens(call.Arguments);
        }

        return total;
    }

    /// <summary>The tools offered to the model: each its name, description and parameter schema, framed as a message.</summary>
    public static long Tools(ImmutableArray<FunctionTool> tools, Func<string, long> countTokens)
    {
        var total = 0L;
        foreach (var tool in tools.AsSpan())
        {
            total += PerMessage + countTokens(tool.Name) + countTokens(tool.Description ?? "") + countTokens(tool.ParametersJson ?? "");
        }

        return total;
    }
}
