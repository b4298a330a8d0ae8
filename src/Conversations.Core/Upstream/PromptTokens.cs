using System.Collections.Immutable;
using System.Text.Json;
using Conversations.Core.Context;
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
/// <item>the tools offered to the model cost what OpenAI publishes for them (see <see cref="Tools"/>).</item>
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
        Count(request.Messages, countTokens) + Tools(request.Tools, countTokens, TokenEncodings.For(request.Model));

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

    /// <summary>
    /// The tools offered to the model, as OpenAI's cookbook counts them (and OpenAI bills them): per function a
    /// start (7 tokens in <c>o200k_base</c>, 10 in <c>cl100k_base</c>) and <c>name:description</c>; when its
    /// parameters have properties, 3 more and per property 3 plus <c>name:type:description</c>, an enum's values 3
    /// each plus their text (less 3 for the enum); and 12 to close the list. A description loses a final period.
    /// Parameters this reading cannot follow (no properties object) cost their JSON text.
    /// </summary>
    public static long Tools(ImmutableArray<FunctionTool> tools, Func<string, long> countTokens, TokenEncoding encoding)
    {
        if (tools.IsDefaultOrEmpty)
        {
            return 0;
        }

        var total = ToolListEnd;
        foreach (var tool in tools.AsSpan())
        {
            total += (encoding == TokenEncoding.O200kBase ? O200kFunctionStart : Cl100kFunctionStart) + countTokens($"{tool.Name}:{Trimmed(tool.Description)}");
            total += Parameters(tool.ParametersJson, countTokens);
        }

        return total;
    }

    private const long O200kFunctionStart = 7;
    private const long Cl100kFunctionStart = 10;
    private const long PropertiesStart = 3;
    private const long PerProperty = 3;
    private const long EnumStart = -3;
    private const long PerEnumValue = 3;
    private const long ToolListEnd = 12;

    private static long Parameters(string? json, Func<string, long> countTokens)
    {
        if (string.IsNullOrEmpty(json))
        {
            return 0;
        }

        using var schema = JsonDocument.Parse(json);
        if (!schema.RootElement.TryGetProperty("properties", out var properties) || properties.ValueKind != JsonValueKind.Object)
        {
            return schema.RootElement.TryGetProperty("properties", out _) ? countTokens(json) : 0;
        }

        var total = 0L;
        foreach (var property in properties.EnumerateObject())
        {
            var type = property.Value.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : t.ValueKind == JsonValueKind.Undefined ? "" : t.GetRawText();
            var description = property.Value.TryGetProperty("description", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
            total += PerProperty + countTokens($"{property.Name}:{type}:{Trimmed(description)}");
            if (property.Value.TryGetProperty("enum", out var values) && values.ValueKind == JsonValueKind.Array)
            {
                total += EnumStart;
                foreach (var value in values.EnumerateArray())
                {
                    total += PerEnumValue + countTokens(value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText());
                }
            }
        }

        return total > 0 ? PropertiesStart + total : 0;
    }

    private static string Trimmed(string? description) => description is null ? "" : description.EndsWith('.') ? description[..^1] : description;
}
