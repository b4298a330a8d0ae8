using System.Text;
using System.Text.Json;
using Conversations.Core.Json;
using Conversations.Core.Requests;
using OneOf;

namespace Conversations.Core.Tests.Json;

/// <summary>Reads request bodies the way the API does, and unpacks validation outcomes with useful failure messages.</summary>
internal static class Parsed
{
    /// <summary>The body as the API host would hand it to a request parser (through <see cref="JsonBody.Parse"/>).</summary>
    public static JsonElement Body(string json) => Accepted(JsonBody.Parse(Encoding.UTF8.GetBytes(json)));

    public static T Accepted<T>(OneOf<T, ValidationError> result)
    {
        Assert.True(result.IsT0, result.IsT1 ? $"Refused: {result.AsT1}" : "");
        return result.AsT0;
    }

    public static ValidationError Refused<T>(OneOf<T, ValidationError> result)
    {
        Assert.True(result.IsT1, result.IsT0 ? $"Accepted: {result.AsT0}" : "");
        return result.AsT1;
    }

    /// <summary>Asserts a refusal names <paramref name="param"/> with <paramref name="code"/>, and returns it for further checks.</summary>
    public static ValidationError RefusedWith<T>(OneOf<T, ValidationError> result, string param, string code)
    {
        var error = Refused(result);
        Assert.Equal((param, code), (error.Param, error.Code));
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
        return error;
    }
}
