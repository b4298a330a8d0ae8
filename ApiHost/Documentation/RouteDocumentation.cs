using Conversations.Core.Wire;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.OpenApi;

namespace Conversations.ApiHost.Documentation;

/// <summary>
/// What a route declares about itself for <c>/openapi/v1.json</c> beyond what its typed results say:
/// the statuses it answers with OpenAI's error envelope, the JSON body it reads, and its event stream.
/// </summary>
public static class RouteDocumentation
{
    /// <summary>Each of <paramref name="statuses"/> answers <see cref="ErrorEnvelope"/> (written by <c>ErrorResult</c>).</summary>
    public static TBuilder ProducesErrors<TBuilder>(this TBuilder builder, params int[] statuses)
        where TBuilder : IEndpointConventionBuilder
    {
        foreach (var status in statuses)
        {
            builder.WithMetadata(new ProducesResponseTypeMetadata(status, typeof(ErrorEnvelope), ["application/json"]));
        }

        return builder;
    }

    /// <summary>
    /// The JSON body the route reads, shaped as <typeparamref name="TBody"/>. The handler reads the bytes
    /// itself (so that a bad field gets OpenAI's precise error), so this only describes the body. It names
    /// no content type on purpose: <c>Accepts&lt;T&gt;("application/json")</c> would also make routing answer
    /// 415 to a JSON body sent without that header (curl's <c>-d</c> alone), which this service has always
    /// read. The document shows the body as <c>application/json</c>, the default.
    /// </summary>
    public static RouteHandlerBuilder AcceptsJson<TBody>(this RouteHandlerBuilder route) =>
        route.WithMetadata(new AcceptsMetadata([], typeof(TBody)));

    /// <summary>
    /// With <c>"stream": true</c> the 200 is <c>text/event-stream</c>, each event's data a
    /// <typeparamref name="TEvent"/>. A transformer adds it beside the JSON 200, because the document
    /// keeps only one response type per status from endpoint metadata.
    /// </summary>
    public static RouteHandlerBuilder ProducesEventStream<TEvent>(this RouteHandlerBuilder route, string description) =>
        route.AddOpenApiOperationTransformer(async (operation, context, cancellationToken) =>
        {
            var document = context.Document ?? throw new InvalidOperationException("The operation is not part of a document.");
            var schema = await context.GetOrCreateSchemaAsync(typeof(TEvent), null, cancellationToken);
            operation.Responses ??= [];
            if (!operation.Responses.TryGetValue("200", out var ok) || ok is not OpenApiResponse response)
            {
                response = new OpenApiResponse { Description = "OK" };
                operation.Responses["200"] = response;
            }

            response.Content ??= new Dictionary<string, OpenApiMediaType>();
            response.Content["text/event-stream"] = new OpenApiMediaType { Schema = Referenced(schema, document) };
            response.Description = $"{response.Description}. {description}";
        });

    /// <summary>
    /// The 200 may also be text of <paramref name="mediaType"/> (a file to download), shown beside the JSON 200 for
    /// the same reason as <see cref="ProducesEventStream{TEvent}"/>.
    /// </summary>
    public static RouteHandlerBuilder ProducesText(this RouteHandlerBuilder route, string mediaType, string description) =>
        route.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Responses ??= [];
            if (!operation.Responses.TryGetValue("200", out var ok) || ok is not OpenApiResponse response)
            {
                response = new OpenApiResponse { Description = "OK" };
                operation.Responses["200"] = response;
            }

            response.Content ??= new Dictionary<string, OpenApiMediaType>();
            response.Content[mediaType] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String } };
            response.Description = $"{response.Description}. {description}";
            return Task.CompletedTask;
        });

    /// <summary>
    /// A schema from <c>GetOrCreateSchemaAsync</c>, which comes with every named type inlined, with each
    /// named type (the root included) made a component and referenced, a nullable property as
    /// <c>oneOf: [null, $ref]</c>: the form the document gives the schemas it makes itself.
    /// </summary>
    private static IOpenApiSchema Referenced(IOpenApiSchema schema, OpenApiDocument document)
    {
        if (schema is not OpenApiSchema inline)
        {
            return schema;
        }

        if (inline.Properties is { } properties)
        {
            foreach (var name in properties.Keys.ToList())
            {
                properties[name] = Referenced(properties[name], document);
            }
        }

        inline.Items = inline.Items is null ? null : Referenced(inline.Items, document);
        inline.AdditionalProperties = inline.AdditionalProperties is null ? null : Referenced(inline.AdditionalProperties, document);
        foreach (var alternatives in new[] { inline.AnyOf, inline.OneOf, inline.AllOf })
        {
            for (var i = 0; i < alternatives?.Count; i++)
            {
                alternatives[i] = Referenced(alternatives[i], document);
            }
        }

        if (inline.Metadata?.TryGetValue("x-schema-id", out var id) is not true || id is not string { Length: > 0 } schemaId)
        {
            return inline;
        }

        // A type already in the document keeps the schema the document made for it.
        document.AddComponent(schemaId, inline);
        var reference = new OpenApiSchemaReference(schemaId, document);
        return inline.Metadata.TryGetValue("x-is-nullable-property", out var nullable) && nullable is true
            ? new OpenApiSchema { OneOf = [new OpenApiSchema { Type = JsonSchemaType.Null }, reference] }
            : reference;
    }
}
