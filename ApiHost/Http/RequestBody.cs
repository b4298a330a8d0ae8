using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using Conversations.ApiHost.Errors;
using Conversations.Core.Errors;
using Conversations.Core.Json;
using Conversations.Core.Requests;
using OneOf;

namespace Conversations.ApiHost.Http;

/// <summary>Reads a request body as JSON within the body size limit.</summary>
public static class RequestBody
{
    /// <summary>The body read as JSON and validated by <paramref name="parse"/>, one of the core's request parsers.</summary>
    public static async Task<OneOf<T, ErrorResult>> Read<T>(HttpRequest request, long limit, Func<JsonElement, OneOf<T, ValidationError>> parse)
    {
        var json = await ReadJson(request, limit, request.HttpContext.RequestAborted);
        return json.Match<OneOf<T, ErrorResult>>(
            body => parse(body).Match<OneOf<T, ErrorResult>>(value => value, invalid => Problems.Of(invalid)),
            error => error);
    }

    public static async Task<OneOf<JsonElement, ErrorResult>> ReadJson(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        var bytes = await ReadBytes(request, limit, cancellationToken);
        return bytes.Match<OneOf<JsonElement, ErrorResult>>(
            body => JsonBody.Parse(body.Span).Match<OneOf<JsonElement, ErrorResult>>(json => json, error => Problems.Of(error)),
            error => error);
    }

    /// <summary>The whole body, read once; refused with 413 as soon as it passes <paramref name="limit"/>.</summary>
    public static async Task<OneOf<ReadOnlyMemory<byte>, ErrorResult>> ReadBytes(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            return TooLarge(request, limit);
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
                return TooLarge(request, limit);
            }

            var buffer = read.Buffer;
            if (buffer.Length > limit)
            {
                reader.AdvanceTo(buffer.Start, buffer.End);
                return TooLarge(request, limit);
            }

            if (read.IsCompleted)
            {
                var body = buffer.ToArray();
                reader.AdvanceTo(buffer.End);
                return new ReadOnlyMemory<byte>(body);
            }

            // Ask for more without consuming: the whole body is parsed in one go at the end.
            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>
    /// 413, and the connection closes after it: the rest of the body is never read, so the connection
    /// cannot carry another request; saying so lets a keep-alive client open a new one.
    /// </summary>
    private static ErrorResult TooLarge(HttpRequest request, long limit)
    {
        request.HttpContext.Response.Headers.Connection = "close";
        return Problems.Of(ApiErrors.BodyTooLarge(limit));
    }
}
