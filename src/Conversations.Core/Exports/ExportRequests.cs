using Conversations.Core.Json;
using Conversations.Core.Requests;
using OneOf;

namespace Conversations.Core.Exports;

/// <summary>Validates the query of <c>GET /v1/conversations/{id}/export</c>.</summary>
public static class ExportRequests
{
    /// <summary><c>format</c>: <c>markdown</c> or <c>json</c>; JSON when it is left out, as the API's own answers are.</summary>
    public static OneOf<ExportFormat, ValidationError> ParseFormat(string? format) => format switch
    {
        null or "json" => ExportFormat.Json,
        "markdown" => ExportFormat.Markdown,
        _ => JsonField.Invalid("format", $"'format' must be 'markdown' or 'json', but got '{JsonField.Shown(format)}'."),
    };
}
