using System.Buffers.Text;
using System.Collections.Immutable;
using System.Text.Json;
using Conversations.Core.Json;
using Conversations.Core.Messages;
using Conversations.Core.Requests;
using OneOf;

namespace Conversations.Core.Items;

/// <summary>
/// Reads the items clients send (a response's <c>input</c>, the items a conversation is created with or
/// that are appended to it) into <see cref="Item"/>s, or the first problem found, naming the offending
/// field's path as <c>param</c> (<c>input[2].content[0].image_url</c>).
/// <para>
/// Every request is answered through Chat Completions, so only what it can carry is accepted: messages
/// (text, refusals, and images and files from the user), function calls and their outputs. Any other item
/// type (hosted tools' calls, reasoning, MCP, …) is refused by name rather than dropped, so a client never
/// believes the model saw something it did not.
/// </para>
/// <para>
/// Ids, positions and times are the service's: items come out with an empty id, sequence 0, no time and
/// status completed, for the caller to number. The <c>id</c>, <c>status</c> and <c>phase</c> the SDKs send
/// when they re-send output items as input are checked for shape and otherwise read past.
/// </para>
/// </summary>
public static class ItemRequests
{
    private static readonly string[] MessageFields = ["type", "role", "content", "id", "status", "phase"];
    private static readonly string[] FunctionCallFields = ["type", "call_id", "name", "arguments", "id", "status"];
    private static readonly string[] FunctionCallOutputFields = ["type", "call_id", "output", "id", "status"];
    private static readonly string[] CompactionFields = ["type", "encrypted_content", "id", "created_by"];
    private static readonly string[] ItemStatuses = ["in_progress", "completed", "incomplete"];
    private static readonly string[] Phases = ["commentary", "final_answer"];
    private static readonly string[] ImageDetails = ["auto", "low", "high"];

    /// <summary>
    /// The <c>input</c> of <c>POST /v1/responses</c>: a string (one user message of that text) or an array of
    /// items, possibly empty (whether empty input is allowed depends on the rest of the request).
    /// </summary>
    public static OneOf<ImmutableArray<Item>, ValidationError> ParseInput(JsonElement input, string param)
    {
        switch (input.ValueKind)
        {
            case JsonValueKind.String:
                var parsed = JsonField.String(input, param, RequestLimits.MaxContentLength, allowEmpty: false);
                if (parsed.TryPickT1(out var error, out var text))
                {
                    return error;
                }

                return ImmutableArray.Create<Item>(Message(MessageRole.User, [new ContentPart.InputText(text)]));
            case JsonValueKind.Array:
                return ParseList(input, param);
            default:
                return JsonField.WrongType(param, "a string or an array of items", input);
        }
    }

    /// <summary>An array of <paramref name="min"/> to <paramref name="max"/> items.</summary>
    public static OneOf<ImmutableArray<Item>, ValidationError> ParseItems(JsonElement items, string param, int min, int max)
    {
        if (items.ValueKind != JsonValueKind.Array)
        {
            return JsonField.WrongType(param, "an array of items", items);
        }

        var count = items.GetArrayLength();
        if (count < min || count > max)
        {
            return JsonField.Invalid(param, min == 0
                ? $"'{param}' may hold at most {max} items, but got {count}."
                : $"'{param}' must hold {min} to {max} items, but got {count}.");
        }

        return ParseList(items, param);
    }

    /// <summary><c>POST /v1/conversations/{id}/items</c>: <c>{items}</c>, 1 to 20 of them.</summary>
    public static OneOf<ImmutableArray<Item>, ValidationError> ParseCreateItems(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return JsonField.WrongType("", "a JSON object", body);
        }

        if (JsonField.FirstUnknown(body, "", ["items"]) is { } unknown)
        {
            return unknown;
        }

        return JsonField.Present(body, "items", out var items)
            ? ParseItems(items, "items", 1, RequestLimits.MaxSeedItems)
            : JsonField.Missing("items");
    }

    private static OneOf<ImmutableArray<Item>, ValidationError> ParseList(JsonElement json, string param)
    {
        var items = ImmutableArray.CreateBuilder<Item>(json.GetArrayLength());
        var index = 0;
        foreach (var element in json.EnumerateArray())
        {
            var parsed = ParseItem(element, $"{param}[{index}]");
            if (parsed.TryPickT1(out var error, out var item))
            {
                return error;
            }

            items.Add(item);
            index++;
        }

        return items.MoveToImmutable();
    }

    private static OneOf<Item, ValidationError> ParseItem(JsonElement json, string path)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            return JsonField.WrongType(path, "an item object", json);
        }

        // A message may leave its type out (OpenAI's "easy" input message).
        if (!JsonField.Present(json, "type", out var typeJson))
        {
            return ParseMessage(json, path);
        }

        var typePath = $"{path}.type";
        if (typeJson.ValueKind != JsonValueKind.String)
        {
            return JsonField.WrongType(typePath, "a string", typeJson);
        }

        return typeJson.GetString() switch
        {
            "message" => ParseMessage(json, path),
            "function_call" => ParseFunctionCall(json, path),
            "function_call_output" => ParseFunctionCallOutput(json, path),
            "compaction" => ParseCompaction(json, path),
            var type => Unsupported(type!, typePath),
        };
    }

    private static ValidationError Unsupported(string type, string param) => type switch
    {
        "item_reference" => JsonField.Invalid(param,
            "Items of type 'item_reference' are not supported: this service does not look items up by id. Send the item itself, or continue from earlier items with 'previous_response_id' or 'conversation'."),
        _ => JsonField.Invalid(param,
            $"Items of type '{JsonField.Shown(type)}' are not supported: this service answers through Chat Completions, which has no equivalent for them. Send 'message', 'function_call' or 'function_call_output' items."),
    };

    private static OneOf<Item, ValidationError> ParseMessage(JsonElement json, string path)
    {
        if (JsonField.FirstUnknown(json, path, MessageFields) is { } unknown)
        {
            return unknown;
        }

        // A null role is the wrong type rather than missing, as the conversation routes have always answered.
        if (!json.TryGetProperty("role", out var roleJson))
        {
            return JsonField.Missing($"{path}.role");
        }

        var role = ParseRole(roleJson, $"{path}.role");
        if (role.TryPickT1(out var roleError, out var roleValue))
        {
            return roleError;
        }

        if (IgnoredFieldsProblem(json, path) is { } ignoredError)
        {
            return ignoredError;
        }

        if (JsonField.Present(json, "phase", out var phaseJson) && JsonField.Choice(phaseJson, $"{path}.phase", Phases).TryPickT1(out var phaseError, out _))
        {
            return phaseError;
        }

        if (!JsonField.Present(json, "content", out var contentJson))
        {
            return JsonField.Missing($"{path}.content");
        }

        var content = ParseContent(contentJson, $"{path}.content", roleValue);
        if (content.TryPickT1(out var contentError, out var parts))
        {
            return contentError;
        }

        return Message(roleValue, parts);
    }

    private static OneOf<MessageRole, ValidationError> ParseRole(JsonElement json, string param)
    {
        if (json.ValueKind != JsonValueKind.String)
        {
            return JsonField.WrongType(param, "a string", json);
        }

        var name = json.GetString()!;
        if (Roles.FromWire(name) is { } role)
        {
            return role;
        }

        return name == "tool"
            ? JsonField.Invalid(param, $"'{param}' cannot be 'tool': send what a function returned as a 'function_call_output' item with the call's 'call_id'.")
            : JsonField.Invalid(param, $"'{param}' must be one of 'user', 'system', 'developer' or 'assistant', but got '{JsonField.Shown(name)}'.");
    }

    /// <summary>The item's own <c>id</c> and <c>status</c>: never kept (ids and statuses are the service's), but they must have their shape.</summary>
    private static ValidationError? IgnoredFieldsProblem(JsonElement json, string path)
    {
        if (JsonField.Present(json, "id", out var id) && id.ValueKind != JsonValueKind.String)
        {
            return JsonField.WrongType($"{path}.id", "a string", id);
        }

        if (JsonField.Present(json, "status", out var status) && JsonField.Choice(status, $"{path}.status", ItemStatuses).TryPickT1(out var error, out _))
        {
            return error;
        }

        return null;
    }

    /// <summary>
    /// A message's content: a string (one text part) or an array of parts. Text is <c>input_text</c> on a
    /// user, system or developer message and <c>output_text</c> on an assistant's, as the SDKs expect to read
    /// it back. An assistant message's parts may also be sent as <c>input_text</c> (or the older <c>text</c>):
    /// clients that build history from plain strings do so, the text means the same, and Chat Completions
    /// takes an assistant's content as text either way; such parts are kept as <c>output_text</c>.
    /// </summary>
    private static OneOf<ImmutableArray<ContentPart>, ValidationError> ParseContent(JsonElement json, string param, MessageRole role)
    {
        if (json.ValueKind == JsonValueKind.String)
        {
            var parsed = JsonField.String(json, param, RequestLimits.MaxContentLength, allowEmpty: true);
            if (parsed.TryPickT1(out var error, out var text))
            {
                return error;
            }

            return ImmutableArray.Create(Text(role, text));
        }

        if (json.ValueKind != JsonValueKind.Array)
        {
            return JsonField.WrongType(param, "a string or an array of content parts", json);
        }

        // Chat Completions providers refuse a message with no content at all.
        if (json.GetArrayLength() == 0)
        {
            return JsonField.Invalid(param, $"'{param}' must hold at least one content part.");
        }

        var parts = ImmutableArray.CreateBuilder<ContentPart>(json.GetArrayLength());
        var length = 0L;
        var index = 0;
        foreach (var element in json.EnumerateArray())
        {
            var parsed = ParsePart(element, $"{param}[{index}]", role);
            if (parsed.TryPickT1(out var error, out var part))
            {
                return error;
            }

            length += part switch
            {
                ContentPart.InputText input => input.Text.Length,
                ContentPart.OutputText output => output.Text.Length,
                ContentPart.Refusal refusal => refusal.Text.Length,
                _ => 0,
            };
            parts.Add(part);
            index++;
        }

        if (length > RequestLimits.MaxContentLength)
        {
            return JsonField.Invalid(param, $"'{param}' is too long: {length} characters of text, at most {RequestLimits.MaxContentLength} allowed.");
        }

        return parts.MoveToImmutable();
    }

    private static OneOf<ContentPart, ValidationError> ParsePart(JsonElement json, string path, MessageRole role)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            return JsonField.WrongType(path, "a content part object", json);
        }

        var typePath = $"{path}.type";
        if (!JsonField.Present(json, "type", out var typeJson))
        {
            return JsonField.Missing(typePath);
        }

        if (typeJson.ValueKind != JsonValueKind.String)
        {
            return JsonField.WrongType(typePath, "a string", typeJson);
        }

        var type = typeJson.GetString()!;
        var assistant = role == MessageRole.Assistant;
        switch (type)
        {
            // "text" is the older name (and Chat Completions' own) that clients still send.
            case "input_text" or "text":
                return ParseTextPart(json, path, role);
            case "output_text" when assistant:
                return ParseOutputText(json, path);
            case "refusal" when assistant:
                return ParseRefusal(json, path);
            case "input_image" when role == MessageRole.User:
                return ParseImage(json, path);
            case "input_file" when role == MessageRole.User:
                return ParseFile(json, path);
            case "output_text" or "refusal":
                return JsonField.Invalid(typePath,
                    $"'{type}' parts are the model's and belong on assistant messages: a {Roles.ToWire(role)} message sends its text as 'input_text'.");
            case "input_image" or "input_file" when assistant:
                return JsonField.Invalid(typePath,
                    $"'{type}' parts cannot be sent on an assistant message: an assistant's content is text ('output_text') or a 'refusal'. Send images and files in a user message.");
            case "input_image" or "input_file":
                // Chat Completions takes only text parts in system and developer messages.
                return JsonField.Invalid(typePath,
                    $"'{type}' parts cannot be sent on a {Roles.ToWire(role)} message: this service answers through Chat Completions, whose system and developer messages hold only text. Send images and files in a user message.");
            default:
                return JsonField.Invalid(typePath,
                    $"'{JsonField.Shown(type)}' is not a content part this service accepts: a {Roles.ToWire(role)} message takes {AcceptedParts(role)}.");
        }
    }

    private static string AcceptedParts(MessageRole role) => role switch
    {
        MessageRole.User => "'input_text', 'input_image' or 'input_file'",
        MessageRole.Assistant => "'output_text' or 'refusal'",
        _ => "'input_text'",
    };

    private static OneOf<ContentPart, ValidationError> ParseTextPart(JsonElement json, string path, MessageRole role)
    {
        if (JsonField.FirstUnknown(json, path, ["type", "text"]) is { } unknown)
        {
            return unknown;
        }

        var text = JsonField.RequiredString(json, path, "text", RequestLimits.MaxContentLength, allowEmpty: true);
        return text.TryPickT1(out var error, out var value) ? error : Text(role, value);
    }

    private static OneOf<ContentPart, ValidationError> ParseOutputText(JsonElement json, string path)
    {
        if (JsonField.FirstUnknown(json, path, ["type", "text", "annotations", "logprobs"]) is { } unknown)
        {
            return unknown;
        }

        var text = JsonField.RequiredString(json, path, "text", RequestLimits.MaxContentLength, allowEmpty: true);
        if (text.TryPickT1(out var textError, out var textValue))
        {
            return textError;
        }

        var annotations = KeptArray(json, path, "annotations");
        if (annotations.TryPickT1(out var annotationsError, out var annotationsJson))
        {
            return annotationsError;
        }

        var logprobs = KeptArray(json, path, "logprobs");
        if (logprobs.TryPickT1(out var logprobsError, out var logprobsJson))
        {
            return logprobsError;
        }

        return new ContentPart.OutputText(textValue, annotationsJson, logprobsJson);
    }

    /// <summary>An array kept as the JSON text it arrived as; <c>[]</c> when left out or null.</summary>
    private static OneOf<string, ValidationError> KeptArray(JsonElement json, string path, string name)
    {
        var param = $"{path}.{name}";
        if (!JsonField.Present(json, name, out var value))
        {
            return ContentPart.OutputText.NoneJson;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            return JsonField.WrongType(param, "an array", value);
        }

        return JsonField.HasNul(value) ? JsonField.NulRefused(param) : value.GetRawText();
    }

    private static OneOf<ContentPart, ValidationError> ParseRefusal(JsonElement json, string path)
    {
        if (JsonField.FirstUnknown(json, path, ["type", "refusal"]) is { } unknown)
        {
            return unknown;
        }

        var refusal = JsonField.RequiredString(json, path, "refusal", RequestLimits.MaxContentLength, allowEmpty: true);
        return refusal.TryPickT1(out var error, out var text) ? error : new ContentPart.Refusal(text);
    }

    private static OneOf<ContentPart, ValidationError> ParseImage(JsonElement json, string path)
    {
        if (JsonField.FirstUnknown(json, path, ["type", "image_url", "detail", "file_id"]) is { } unknown)
        {
            return unknown;
        }

        if (JsonField.Present(json, "file_id", out _))
        {
            return JsonField.Invalid($"{path}.file_id",
                "This service does not store files, so it cannot take an image by 'file_id': send the image in 'image_url', as an http(s) URL or a data URL (data:image/png;base64,…).");
        }

        var param = $"{path}.image_url";
        if (!JsonField.Present(json, "image_url", out var urlJson))
        {
            return JsonField.Missing(param);
        }

        if (urlJson.ValueKind != JsonValueKind.String)
        {
            return JsonField.WrongType(param, "a string (an http(s) URL or a data URL)", urlJson);
        }

        // A data URL holds the image itself: it may be as large as the body.
        var url = JsonField.String(urlJson, param, int.MaxValue, allowEmpty: false);
        if (url.TryPickT1(out var urlError, out var urlValue))
        {
            return urlError;
        }

        if (ImageUrlProblem(urlValue, param) is { } problem)
        {
            return problem;
        }

        var detail = "auto";
        if (JsonField.Present(json, "detail", out var detailJson))
        {
            var parsed = JsonField.Choice(detailJson, $"{path}.detail", ImageDetails);
            if (parsed.TryPickT1(out var error, out detail))
            {
                return error;
            }
        }

        return new ContentPart.InputImage(urlValue, detail);
    }

    private static ValidationError? ImageUrlProblem(string url, string param)
    {
        if (url.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            return IsBase64DataUrl(url, "image/")
                ? null
                : JsonField.Invalid(param, $"'{param}' must be a data URL of an image in base64 (data:image/png;base64,…), but got '{JsonField.Shown(url)}'.");
        }

        // The length first: System.Uri cannot read very long addresses, which would then be called malformed.
        if (url.Length > RequestLimits.MaxImageUrlLength)
        {
            return JsonField.Invalid(param, $"'{param}' is too long for an address: {url.Length} characters, at most {RequestLimits.MaxImageUrlLength} allowed. Send the image itself, as a data URL.");
        }

        return Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) && uri.Host.Length > 0
            ? null
            : JsonField.Invalid(param, $"'{param}' must be an http(s) URL or a data URL (data:image/png;base64,…), but got '{JsonField.Shown(url)}'.");
    }

    private static OneOf<ContentPart, ValidationError> ParseFile(JsonElement json, string path)
    {
        if (JsonField.FirstUnknown(json, path, ["type", "file_data", "filename", "file_id", "file_url"]) is { } unknown)
        {
            return unknown;
        }

        if (JsonField.Present(json, "file_id", out _))
        {
            return JsonField.Invalid($"{path}.file_id",
                "This service does not store files, so it cannot take a file by 'file_id': send its content in 'file_data' (base64, or a data URL) with its 'filename'.");
        }

        if (JsonField.Present(json, "file_url", out _))
        {
            return JsonField.Invalid($"{path}.file_url",
                "This service does not fetch files: send the file's content in 'file_data' (base64, or a data URL) with its 'filename'.");
        }

        // Inline data may be as large as the body.
        var data = JsonField.RequiredString(json, path, "file_data", int.MaxValue, allowEmpty: false);
        if (data.TryPickT1(out var dataError, out var dataValue))
        {
            return dataError;
        }

        var isDataUrl = dataValue.StartsWith("data:", StringComparison.OrdinalIgnoreCase);
        if (isDataUrl ? !IsBase64DataUrl(dataValue, "") : !IsBase64(dataValue))
        {
            return JsonField.Invalid($"{path}.file_data",
                $"'{path}.file_data' must be the file's content in base64, or a data URL holding it in base64 (data:application/pdf;base64,…).");
        }

        var filename = JsonField.RequiredString(json, path, "filename", RequestLimits.MaxFilenameLength, allowEmpty: false);
        return filename.TryPickT1(out var filenameError, out var filenameValue)
            ? filenameError
            : new ContentPart.InputFile(dataValue, filenameValue);
    }

    /// <summary>
    /// <c>data:&lt;type&gt;/&lt;subtype&gt;[;parameters];base64,&lt;data&gt;</c>, its media type starting with
    /// <paramref name="mediaTypePrefix"/> (empty for any), its data valid base64.
    /// </summary>
    private static bool IsBase64DataUrl(string url, string mediaTypePrefix)
    {
        var comma = url.IndexOf(',');
        if (comma < 0)
        {
            return false;
        }

        var header = url.AsSpan("data:".Length, comma - "data:".Length);
        if (!header.EndsWith(";base64", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var mediaType = header[..header.IndexOf(';')];
        var slash = mediaType.IndexOf('/');
        return slash > 0
            && slash < mediaType.Length - 1
            && mediaType.StartsWith(mediaTypePrefix, StringComparison.OrdinalIgnoreCase)
            && IsBase64(url.AsSpan(comma + 1));
    }

    private static bool IsBase64(ReadOnlySpan<char> data) => !data.Trim().IsEmpty && Base64.IsValid(data);

    private static OneOf<Item, ValidationError> ParseFunctionCall(JsonElement json, string path)
    {
        if (JsonField.FirstUnknown(json, path, FunctionCallFields) is { } unknown)
        {
            return unknown;
        }

        if (IgnoredFieldsProblem(json, path) is { } ignoredError)
        {
            return ignoredError;
        }

        var callId = JsonField.RequiredString(json, path, "call_id", RequestLimits.MaxCallIdLength, allowEmpty: false);
        if (callId.TryPickT1(out var callIdError, out var callIdValue))
        {
            return callIdError;
        }

        var name = FunctionNames.Required(json, path, "name");
        if (name.TryPickT1(out var nameError, out var nameValue))
        {
            return nameError;
        }

        // Kept as the model wrote them: arguments are JSON text, but not necessarily valid JSON.
        var arguments = JsonField.RequiredString(json, path, "arguments", RequestLimits.MaxFunctionArgumentsLength, allowEmpty: true);
        if (arguments.TryPickT1(out var argumentsError, out var argumentsValue))
        {
            return argumentsError;
        }

        return new FunctionCallItem("", 0, ItemStatus.Completed, default, null, callIdValue, nameValue, argumentsValue);
    }

    private static OneOf<Item, ValidationError> ParseFunctionCallOutput(JsonElement json, string path)
    {
        if (JsonField.FirstUnknown(json, path, FunctionCallOutputFields) is { } unknown)
        {
            return unknown;
        }

        if (IgnoredFieldsProblem(json, path) is { } ignoredError)
        {
            return ignoredError;
        }

        var callId = JsonField.RequiredString(json, path, "call_id", RequestLimits.MaxCallIdLength, allowEmpty: false);
        if (callId.TryPickT1(out var callIdError, out var callIdValue))
        {
            return callIdError;
        }

        if (!JsonField.Present(json, "output", out var outputJson))
        {
            return JsonField.Missing($"{path}.output");
        }

        var output = ParseOutput(outputJson, $"{path}.output");
        if (output.TryPickT1(out var outputError, out var outputValue))
        {
            return outputError;
        }

        return new FunctionCallOutputItem("", 0, ItemStatus.Completed, default, null, callIdValue, outputValue);
    }

    /// <summary>
    /// A compaction sent back as input, as <c>POST /v1/responses/compact</c> made it: its summary is the readable
    /// text in <c>encrypted_content</c>. Everything before it in the context is left out upstream.
    /// </summary>
    private static OneOf<Item, ValidationError> ParseCompaction(JsonElement json, string path)
    {
        if (JsonField.FirstUnknown(json, path, CompactionFields) is { } unknown)
        {
            return unknown;
        }

        if (IgnoredFieldsProblem(json, path) is { } ignoredError)
        {
            return ignoredError;
        }

        var summary = JsonField.RequiredString(json, path, "encrypted_content", RequestLimits.MaxContentLength, allowEmpty: false);
        if (summary.TryPickT1(out var summaryError, out var summaryValue))
        {
            return summaryError;
        }

        return new CompactionItem("", 0, ItemStatus.Completed, default, null, summaryValue);
    }

    /// <summary>
    /// What a function returned: a string, or an array of <c>input_text</c> parts, joined. It reaches the
    /// model as a Chat Completions tool message's text, and clients (the .NET SDK among them) read it back
    /// only as a string, so it is kept as one.
    /// </summary>
    private static OneOf<string, ValidationError> ParseOutput(JsonElement json, string param)
    {
        if (json.ValueKind == JsonValueKind.String)
        {
            return JsonField.String(json, param, RequestLimits.MaxFunctionOutputLength, allowEmpty: true);
        }

        if (json.ValueKind != JsonValueKind.Array)
        {
            return JsonField.WrongType(param, "a string or an array of 'input_text' parts", json);
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

            if (!JsonField.Present(part, "type", out var type))
            {
                return JsonField.Missing($"{path}.type");
            }

            if (type.ValueKind != JsonValueKind.String)
            {
                return JsonField.WrongType($"{path}.type", "a string", type);
            }

            if (type.GetString() != "input_text")
            {
                return JsonField.Invalid($"{path}.type",
                    $"A function's output reaches the model as text (Chat Completions' tool message), so 'output' takes only 'input_text' parts, but got '{JsonField.Shown(type.GetString()!)}'.");
            }

            if (JsonField.FirstUnknown(part, path, ["type", "text"]) is { } unknown)
            {
                return unknown;
            }

            var parsed = JsonField.RequiredString(part, path, "text", RequestLimits.MaxFunctionOutputLength, allowEmpty: true);
            if (parsed.TryPickT1(out var error, out var value))
            {
                return error;
            }

            text.Append(value);
            if (text.Length > RequestLimits.MaxFunctionOutputLength)
            {
                return JsonField.Invalid(param, $"'{param}' is too long: more than {RequestLimits.MaxFunctionOutputLength} characters of text.");
            }

            index++;
        }

        return text.ToString();
    }

    private static ContentPart Text(MessageRole role, string text) =>
        role == MessageRole.Assistant ? ContentPart.OutputText.Of(text) : new ContentPart.InputText(text);

    private static MessageItem Message(MessageRole role, ImmutableArray<ContentPart> content) =>
        new("", 0, ItemStatus.Completed, default, null, role, content);
}
