using System.Text.Json;
using Conversations.Core.Wire;

namespace Conversations.Core.Tests.Wire;

/// <summary>Serializes with the service's own JSON context and reads the result back as a client would.</summary>
internal static class WireShape
{
    public static JsonElement Of<T>(T value)
    {
        using var document = JsonDocument.Parse(WireJson.Serialize(value));
        return document.RootElement.Clone();
    }

    /// <summary>The names of an object's properties, in the order written.</summary>
    public static string[] Keys(JsonElement element) => [.. element.EnumerateObject().Select(p => p.Name)];

    public static void IsNull(JsonElement element, string property)
    {
        Assert.True(element.TryGetProperty(property, out var value), $"'{property}' is missing; it must be present as null.");
        Assert.Equal(JsonValueKind.Null, value.ValueKind);
    }
}
