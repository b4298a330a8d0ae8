using System.Text.Json.Serialization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Conversations.ApiHost.Documentation;

/// <summary>
/// A wire property left out when null (<c>[JsonIgnore(Condition = WhenWritingNull)]</c>, e.g. a key's
/// <c>key</c> after the response that issued it) is not required in its schema: the document would
/// otherwise promise it in every answer.
/// </summary>
public sealed class OmittedWhenNull : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var property in context.JsonTypeInfo.Properties)
        {
            if (property.AttributeProvider?.GetCustomAttributes(typeof(JsonIgnoreAttribute), inherit: true) is [JsonIgnoreAttribute { Condition: JsonIgnoreCondition.WhenWritingNull }])
            {
                schema.Required?.Remove(property.Name);
            }
        }

        return Task.CompletedTask;
    }
}
