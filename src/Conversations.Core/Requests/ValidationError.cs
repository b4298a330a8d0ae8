namespace Conversations.Core.Requests;

/// <summary>Why a request was refused, naming the offending field as OpenAI's <c>param</c> does.</summary>
/// <param name="Param">The JSON path of the bad field (<c>settings.temperature</c>, <c>items[2].role</c>), or empty
/// when the request as a whole is wrong.</param>
/// <param name="Code">A stable machine-readable reason: <c>invalid_value</c>, <c>invalid_type</c>,
/// <c>missing_required_parameter</c>, <c>unknown_parameter</c>, <c>invalid_json</c>.</param>
[GenerateSerializer, Immutable]
public sealed record ValidationError(
    [property: Id(0)] string Message,
    [property: Id(1)] string Param,
    [property: Id(2)] string Code);
