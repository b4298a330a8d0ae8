using System.Collections.Immutable;
using System.Text.Json;
using Conversations.Core.Items;
using Conversations.Core.Json;
using Conversations.Core.Messages;
using OneOf;

using Conversations.Core.Responses;

namespace Conversations.Core.Requests;

/// <summary>
/// Validates the bodies and query strings of the conversation routes. Each function returns the
/// validated request or the first problem found, naming the offending field as <c>param</c>.
/// Unknown fields are refused rather than ignored, so a typo never silently does nothing.
/// </summary>
public static class ConversationRequests
{
    /// <summary><c>POST /v1/conversations</c>: <c>{metadata?, settings?, items?}</c>.</summary>
    public static OneOf<CreateConversation, ValidationError> ParseCreate(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return JsonField.WrongType("", "a JSON object", body);
        }

        if (JsonField.FirstUnknown(body, "", ["metadata", "settings", "items"]) is { } unknown)
        {
            return unknown;
        }

        var metadata = ImmutableSortedDictionary<string, string>.Empty;
        if (body.TryGetProperty("metadata", out var metadataJson) && metadataJson.ValueKind != JsonValueKind.Null)
        {
            var parsed = ParseMetadata(metadataJson, "metadata");
            if (parsed.TryPickT1(out var error, out metadata))
            {
                return error;
            }
        }

        var settings = SettingsPatch.None;
        if (body.TryGetProperty("settings", out var settingsJson) && settingsJson.ValueKind != JsonValueKind.Null)
        {
            var parsed = ParseSettings(settingsJson, "settings");
            if (parsed.TryPickT1(out var error, out settings))
            {
                return error;
            }
        }

        var items = ImmutableArray<Item>.Empty;
        if (body.TryGetProperty("items", out var itemsJson) && itemsJson.ValueKind != JsonValueKind.Null)
        {
            var parsed = ItemRequests.ParseItems(itemsJson, "items", 0, RequestLimits.MaxSeedItems);
            if (parsed.TryPickT1(out var error, out items))
            {
                return error;
            }
        }

        return new CreateConversation(metadata, settings, items);
    }

    /// <summary><c>POST /v1/conversations/{id}</c>: <c>{metadata?, settings?}</c>; at least one of them.</summary>
    public static OneOf<UpdateConversation, ValidationError> ParseUpdate(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return JsonField.WrongType("", "a JSON object", body);
        }

        if (JsonField.FirstUnknown(body, "", ["metadata", "settings"]) is { } unknown)
        {
            return unknown;
        }

        var metadata = Change<ImmutableSortedDictionary<string, string>>.Keep;
        var hasMetadata = body.TryGetProperty("metadata", out var metadataJson);
        if (hasMetadata)
        {
            // Null clears the metadata, as an empty object would.
            if (metadataJson.ValueKind == JsonValueKind.Null)
            {
                metadata = Change<ImmutableSortedDictionary<string, string>>.To(ImmutableSortedDictionary<string, string>.Empty);
            }
            else
            {
                var parsed = ParseMetadata(metadataJson, "metadata");
                if (parsed.TryPickT1(out var error, out var value))
                {
                    return error;
                }

                metadata = Change<ImmutableSortedDictionary<string, string>>.To(value);
            }
        }

        var settings = SettingsPatch.None;
        var hasSettings = body.TryGetProperty("settings", out var settingsJson);
        if (hasSettings)
        {
            var parsed = ParseSettings(settingsJson, "settings");
            if (parsed.TryPickT1(out var error, out settings))
            {
                return error;
            }
        }

        if (!hasMetadata && !hasSettings)
        {
            return new ValidationError("Nothing to update: send 'metadata', 'settings', or both.", "", "missing_required_parameter");
        }

        return new UpdateConversation(metadata, settings);
    }

    /// <summary>
    /// <c>POST /v1/conversations/{id}/messages</c>: <c>{content, stream?, model?, temperature?, top_p?, max_tokens?}</c>.
    /// <c>max_completion_tokens</c> is accepted as the newer name of <c>max_tokens</c>.
    /// </summary>
    public static OneOf<SendMessage, ValidationError> ParseSend(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return JsonField.WrongType("", "a JSON object", body);
        }

        if (JsonField.FirstUnknown(body, "", ["content", "stream", "model", "temperature", "top_p", "max_tokens", "max_completion_tokens"]) is { } unknown)
        {
            return unknown;
        }

        if (!body.TryGetProperty("content", out var contentJson) || contentJson.ValueKind == JsonValueKind.Null)
        {
            return JsonField.Missing("content");
        }

        var content = ParseContent(contentJson, "content");
        if (content.TryPickT1(out var contentError, out var text))
        {
            return contentError;
        }

        if (text.Length == 0)
        {
            return JsonField.Invalid("content", "'content' must not be empty.");
        }

        var stream = false;
        if (body.TryGetProperty("stream", out var streamJson) && streamJson.ValueKind != JsonValueKind.Null)
        {
            var parsed = JsonField.Boolean(streamJson, "stream");
            if (parsed.TryPickT1(out var error, out stream))
            {
                return error;
            }
        }

        string? model = null;
        if (body.TryGetProperty("model", out var modelJson) && modelJson.ValueKind != JsonValueKind.Null)
        {
            var parsed = JsonField.String(modelJson, "model", RequestLimits.MaxModelLength, allowEmpty: false);
            if (parsed.TryPickT1(out var error, out var value))
            {
                return error;
            }

            model = value;
        }

        var temperature = OptionalNumber(body, "temperature", "temperature", 0, 2);
        if (temperature.TryPickT1(out var temperatureError, out var temperatureValue))
        {
            return temperatureError;
        }

        var topP = OptionalNumber(body, "top_p", "top_p", 0, 1);
        if (topP.TryPickT1(out var topPError, out var topPValue))
        {
            return topPError;
        }

        var maxTokens = OptionalMaxTokens(body, "");
        if (maxTokens.TryPickT1(out var maxTokensError, out var maxTokensValue))
        {
            return maxTokensError;
        }

        return new SendMessage(text, stream, new TurnOverrides(model, temperatureValue, topPValue, maxTokensValue));
    }

    /// <summary>
    /// A list query: <c>limit</c> 1..100 (default 20), <c>order</c> <c>asc</c>|<c>desc</c>, <c>after</c> an id.
    /// </summary>
    public static OneOf<PageQuery, ValidationError> ParsePage(string? limit, string? order, string? after, SortOrder defaultOrder)
    {
        var size = RequestLimits.DefaultPageSize;
        if (limit is not null)
        {
            if (!int.TryParse(limit, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out size)
                || size < 1 || size > RequestLimits.MaxPageSize)
            {
                return JsonField.Invalid("limit", $"'limit' must be an integer between 1 and {RequestLimits.MaxPageSize}, but got '{limit}'.");
            }
        }

        var sort = defaultOrder;
        if (order is not null)
        {
            switch (order)
            {
                case "asc":
                    sort = SortOrder.Ascending;
                    break;
                case "desc":
                    sort = SortOrder.Descending;
                    break;
                default:
                    return JsonField.Invalid("order", $"'order' must be 'asc' or 'desc', but got '{order}'.");
            }
        }

        var cursor = after ?? "";
        if (cursor.Length > 0 && !Ids.IsWellFormed(cursor))
        {
            return JsonField.Invalid("after", $"'after' must be an id returned by an earlier page, but got '{cursor}'.");
        }

        return new PageQuery(size, sort, cursor);
    }

    internal static OneOf<ImmutableSortedDictionary<string, string>, ValidationError> ParseMetadata(JsonElement json, string param)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            return JsonField.WrongType(param, "an object of string keys and string values", json);
        }

        var builder = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var pair in json.EnumerateObject())
        {
            var path = $"{param}.{pair.Name}";
            if (pair.Name.Length == 0 || JsonField.Characters(pair.Name) > RequestLimits.MaxMetadataKeyLength)
            {
                return JsonField.Invalid(path, $"Metadata keys must be 1 to {RequestLimits.MaxMetadataKeyLength} characters long.");
            }

            if (pair.Value.ValueKind != JsonValueKind.String)
            {
                return JsonField.WrongType(path, "a string", pair.Value);
            }

            var value = pair.Value.GetString()!;
            if (JsonField.HasNul(pair.Name) || JsonField.HasNul(value))
            {
                return JsonField.NulRefused(path);
            }

            if (JsonField.Characters(value) > RequestLimits.MaxMetadataValueLength)
            {
                return JsonField.Invalid(path, $"Metadata values must be at most {RequestLimits.MaxMetadataValueLength} characters long.");
            }

            builder[pair.Name] = value;
            if (builder.Count > RequestLimits.MaxMetadataPairs)
            {
                return JsonField.Invalid(param, $"Metadata may hold at most {RequestLimits.MaxMetadataPairs} key-value pairs.");
            }
        }

        return builder.ToImmutable();
    }

    private static OneOf<SettingsPatch, ValidationError> ParseSettings(JsonElement json, string param)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            return JsonField.WrongType(param, "an object", json);
        }

        if (JsonField.FirstUnknown(json, param, ["model", "instructions", "temperature", "top_p", "max_tokens", "max_completion_tokens", "truncation"]) is { } unknown)
        {
            return unknown;
        }

        var model = Change<string>.Keep;
        if (json.TryGetProperty("model", out var modelJson))
        {
            var path = JsonField.Path(param, "model");
            var parsed = JsonField.String(modelJson, path, RequestLimits.MaxModelLength, allowEmpty: false);
            if (parsed.TryPickT1(out var error, out var value))
            {
                return error;
            }

            model = Change<string>.To(value);
        }

        var instructions = Change<string>.Keep;
        if (json.TryGetProperty("instructions", out var instructionsJson))
        {
            if (instructionsJson.ValueKind == JsonValueKind.Null)
            {
                instructions = Change<string>.To("");
            }
            else
            {
                var parsed = JsonField.String(instructionsJson, JsonField.Path(param, "instructions"), RequestLimits.MaxInstructionsLength, allowEmpty: true);
                if (parsed.TryPickT1(out var error, out var value))
                {
                    return error;
                }

                instructions = Change<string>.To(value);
            }
        }

        var temperature = NullableNumberChange(json, "temperature", JsonField.Path(param, "temperature"), 0, 2);
        if (temperature.TryPickT1(out var temperatureError, out var temperatureChange))
        {
            return temperatureError;
        }

        var topP = NullableNumberChange(json, "top_p", JsonField.Path(param, "top_p"), 0, 1);
        if (topP.TryPickT1(out var topPError, out var topPChange))
        {
            return topPError;
        }

        var maxTokens = Change<int?>.Keep;
        foreach (var name in (ReadOnlySpan<string>)["max_tokens", "max_completion_tokens"])
        {
            if (json.TryGetProperty(name, out var maxJson))
            {
                if (maxJson.ValueKind == JsonValueKind.Null)
                {
                    maxTokens = Change<int?>.To(null);
                    continue;
                }

                var parsed = JsonField.Integer(maxJson, JsonField.Path(param, name), 1, RequestLimits.MaxTokensCeiling);
                if (parsed.TryPickT1(out var error, out var value))
                {
                    return error;
                }

                maxTokens = Change<int?>.To(value);
            }
        }

        var truncation = Change<Truncation>.Keep;
        if (json.TryGetProperty("truncation", out var truncationJson))
        {
            // null puts the default back, as for the other settings.
            var parsed = truncationJson.ValueKind == JsonValueKind.Null
                ? "disabled"
                : JsonField.Choice(truncationJson, JsonField.Path(param, "truncation"), ["auto", "disabled"]);
            if (parsed.TryPickT1(out var error, out var value))
            {
                return error;
            }

            truncation = Change<Truncation>.To(value == "auto" ? Truncation.Auto : Truncation.Disabled);
        }

        return new SettingsPatch(model, instructions, temperatureChange, topPChange, maxTokens) { Truncation = truncation };
    }

    private static OneOf<MessageRole, ValidationError> ParseRole(JsonElement json, string param)
    {
        if (json.ValueKind != JsonValueKind.String)
        {
            return JsonField.WrongType(param, "a string", json);
        }

        return Roles.FromWire(json.GetString()!) is { } role
            ? role
            : JsonField.Invalid(param, $"'{param}' must be one of 'system', 'developer', 'user' or 'assistant', but got '{json.GetString()}'.");
    }

    /// <summary>
    /// Message content: a string, or OpenAI's array of text parts
    /// (<c>input_text</c>, <c>output_text</c> or <c>text</c>), which are joined.
    /// </summary>
    private static OneOf<string, ValidationError> ParseContent(JsonElement json, string param)
    {
        if (json.ValueKind == JsonValueKind.String)
        {
            return JsonField.String(json, param, RequestLimits.MaxContentLength, allowEmpty: true);
        }

        if (json.ValueKind != JsonValueKind.Array)
        {
            return JsonField.WrongType(param, "a string or an array of text parts", json);
        }

        var text = new System.Text.StringBuilder();
        var index = 0;
        foreach (var part in json.EnumerateArray())
        {
            var path = $"{param}[{index}]";
            if (part.ValueKind != JsonValueKind.Object)
            {
                return JsonField.WrongType(path, "a content part object", part);
            }

            if (!part.TryGetProperty("type", out var type) || type.ValueKind == JsonValueKind.Null)
            {
                return JsonField.Missing($"{path}.type");
            }

            if (type.ValueKind != JsonValueKind.String)
            {
                return JsonField.WrongType($"{path}.type", "a string", type);
            }

            if (type.GetString() is not ("input_text" or "output_text" or "text"))
            {
                return JsonField.Invalid($"{path}.type", $"Only text content is supported ('input_text', 'output_text' or 'text'), but got '{type.GetString()}'.");
            }

            if (!part.TryGetProperty("text", out var partText))
            {
                return JsonField.Missing($"{path}.text");
            }

            var parsed = JsonField.String(partText, $"{path}.text", RequestLimits.MaxContentLength, allowEmpty: true);
            if (parsed.TryPickT1(out var error, out var value))
            {
                return error;
            }

            text.Append(value);
            index++;
        }

        if (text.Length > RequestLimits.MaxContentLength)
        {
            return JsonField.Invalid(param, $"'{param}' is too long: {text.Length} characters, at most {RequestLimits.MaxContentLength} allowed.");
        }

        return text.ToString();
    }

    private static OneOf<Change<double?>, ValidationError> NullableNumberChange(JsonElement json, string name, string param, double min, double max)
    {
        if (!json.TryGetProperty(name, out var value))
        {
            return Change<double?>.Keep;
        }

        if (value.ValueKind == JsonValueKind.Null)
        {
            return Change<double?>.To(null);
        }

        var parsed = JsonField.Number(value, param, min, max);
        return parsed.TryPickT1(out var error, out var number) ? error : Change<double?>.To(number);
    }

    private static OneOf<double?, ValidationError> OptionalNumber(JsonElement json, string name, string param, double min, double max)
    {
        if (!json.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return (double?)null;
        }

        var parsed = JsonField.Number(value, param, min, max);
        return parsed.TryPickT1(out var error, out var number) ? error : number;
    }

    private static OneOf<int?, ValidationError> OptionalMaxTokens(JsonElement json, string prefix)
    {
        int? result = null;
        foreach (var name in (ReadOnlySpan<string>)["max_tokens", "max_completion_tokens"])
        {
            if (json.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null)
            {
                var parsed = JsonField.Integer(value, JsonField.Path(prefix, name), 1, RequestLimits.MaxTokensCeiling);
                if (parsed.TryPickT1(out var error, out var number))
                {
                    return error;
                }

                result = number;
            }
        }

        return result;
    }
}
