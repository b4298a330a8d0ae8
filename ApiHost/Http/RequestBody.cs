using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using Conversations.ApiHost.Errors;
using Conversations.Core.Errors;
using Conversations.Core.Json;
using OneOf;

namespace Conversations.ApiHost.Http;

/// <summary>Reads a request body as JSON within the body size limit.</summary>
public static class RequestBody
{
    public static async Task<OneOf<JsonElement, ErrorResult>> ReadJson(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            return Problems.Of(ApiErrors.BodyTooLarge(limit));
        }

        var reader = request.BodyReader;
        while (true)
        {
            ReadResult read;
            try
            {
                read = await reader.ReadAsync(cancellationToken);
            }
            catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                return Problems.Of(ApiErrors.BodyTooLarge(limit));
            }

            var buffer = read.Buffer;
            if (buffer.Length > limit)
            {
                reader.AdvanceTo(buffer.Start, buffer.End);
                return Problems.Of(ApiErrors.BodyTooLarge(limit));
            }

            if (read.IsCompleted)
            {
                var parsed = Parse(buffer);
                reader.AdvanceTo(buffer.End);
                return parsed;
            }

            // Ask for more without consuming: the whole body is parsed in one go at the end.
            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private static OneOf<JsonElement, ErrorResult> Parse(ReadOnlySequence<byte> buffer)
    {
        var parsed = buffer.IsSingleSegment ? JsonBody.Parse(buffer.FirstSpan) : JsonBody.Parse(buffer.ToArray());
        return parsed.Match<OneOf<JsonElement, ErrorResult>>(json => json, error => Problems.Of(error));
    }
}
