using System.Collections.Immutable;
using Conversations.Core.Json;
using OneOf;

namespace Conversations.Core.Requests;

/// <summary>
/// The <c>include</c> values: extra output a client asks the Responses and Conversations routes to add.
/// All of OpenAI's values are accepted, so no SDK option is refused; most name output of hosted tools this
/// service never produces, and so add nothing. Anything else is refused, as a misspelt value would
/// otherwise silently do nothing.
/// </summary>
public static class IncludeQuery
{
    public static readonly ImmutableArray<string> Values =
    [
        "file_search_call.results",
        "web_search_call.results",
        "web_search_call.action.sources",
        "message.input_image.image_url",
        "computer_call_output.output.image_url",
        "code_interpreter_call.outputs",
        "reasoning.encrypted_content",
        "message.output_text.logprobs",
    ];

    /// <summary>
    /// A list route's query values in both spellings: <c>include[]=a&amp;include[]=b</c>, as the SDKs send
    /// them, and <c>include=a</c>. Empty values are skipped and repeats kept once, in the order first sent.
    /// </summary>
    public static OneOf<ImmutableArray<string>, ValidationError> Parse(IEnumerable<string?> bracketed, IEnumerable<string?> plain)
    {
        var values = ImmutableArray.CreateBuilder<string>();
        foreach (var (param, sent) in (ReadOnlySpan<(string, IEnumerable<string?>)>)[("include[]", bracketed), ("include", plain)])
        {
            foreach (var value in sent)
            {
                if (string.IsNullOrEmpty(value))
                {
                    continue;
                }

                if (Refusal(value, param) is { } error)
                {
                    return error;
                }

                if (!values.Contains(value))
                {
                    values.Add(value);
                }
            }
        }

        return values.ToImmutable();
    }

    /// <summary>Why <paramref name="value"/> is not an include value; null when it is one.</summary>
    internal static ValidationError? Refusal(string value, string param) =>
        Values.Contains(value)
            ? null
            : JsonField.Invalid(param, $"'{param}' must be {JsonField.Alternatives(Values.AsSpan())}, but got '{JsonField.Shown(value)}'.");
}
