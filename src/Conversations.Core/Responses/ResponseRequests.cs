using System.Collections.Immutable;
using System.Text.Json;
using Conversations.Core.Context;
using Conversations.Core.Items;
using Conversations.Core.Json;
using Conversations.Core.Requests;
using OneOf;

namespace Conversations.Core.Responses;

/// <summary>
/// Validates the body of <c>POST /v1/responses</c>: the validated request or the first problem found,
/// naming the offending field's path as <c>param</c> (<c>tools[1].type</c>, <c>input[0].content[2].image_url</c>).
/// <para>
/// Unknown fields are refused, as on the other routes, so a typo never silently does nothing. A few fields
/// the SDKs send are accepted, checked for type, and otherwise ignored, because they change nothing when
/// the answer comes from Chat Completions: <c>stream_options</c> (obfuscation padding, which the SDKs
/// discard), <c>service_tier</c>, <c>prompt_cache_retention</c>, <c>prompt_cache_options</c>,
/// <c>top_logprobs</c>, <c>max_tool_calls</c> (it counts hosted tools' calls, and there are none),
/// <c>text.verbosity</c>, <c>reasoning.summary</c>, <c>reasoning.generate_summary</c>, <c>reasoning.context</c>
/// and <c>reasoning.mode</c>. Fields whose effect this service cannot deliver are refused by name rather
/// than ignored: <c>prompt</c> (hosted prompt templates) and <c>moderation</c> (a client that asks for moderation must not believe it happened).
/// </para>
/// </summary>
public static class ResponseRequests
{
    private const string ResponsePrefix = "resp_";

    private static readonly string[] Fields =
    [
        "model", "input", "instructions", "conversation", "previous_response_id", "store", "stream", "background",
        "temperature", "top_p", "max_output_tokens", "metadata", "truncation", "text", "tools", "tool_choice",
        "parallel_tool_calls", "reasoning", "user", "safety_identifier", "prompt_cache_key", "include", "context_management",
        // Accepted and ignored.
        "stream_options", "service_tier", "prompt_cache_retention", "prompt_cache_options", "top_logprobs", "max_tool_calls",
        // Refused with the reason.
        "prompt", "moderation",
    ];

    private static readonly string[] ToolChoiceModes = ["none", "auto", "required"];
    private static readonly string[] TextFormatTypes = ["text", "json_object", "json_schema"];
    private static readonly string[] Verbosities = ["low", "medium", "high"];
    private static readonly string[] ReasoningEfforts = ["none", "minimal", "low", "medium", "high", "xhigh", "max"];
    private static readonly string[] ReasoningSummaries = ["auto", "concise", "detailed"];
    private static readonly string[] Truncations = ["auto", "disabled"];

    public static OneOf<CreateResponse, ValidationError> ParseCreate(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return JsonField.WrongType("", "a JSON object", body);
        }

        if (JsonField.FirstUnknown(body, "", Fields) is { } unknown)
        {
            return unknown;
        }

        if (UnsupportedFieldProblem(body) is { } unsupported)
        {
            return unsupported;
        }

        var model = OptionalString(body, "model", RequestLimits.MaxModelLength, allowEmpty: false);
        if (model.TryPickT1(out var modelError, out var modelValue))
        {
            return modelError;
        }

        var continuation = ParseContinuation(body);
        if (continuation.TryPickT1(out var continuationError, out var continues))
        {
            return continuationError;
        }

        var (conversationId, previousResponseId) = continues;
        var (hasConversation, hasPrevious) = (conversationId is not null, previousResponseId is not null);

        var input = ParseInput(body, continues: hasConversation || hasPrevious);
        if (input.TryPickT1(out var inputError, out var inputItems))
        {
            return inputError;
        }

        var store = OptionalBoolean(body, "store", fallback: true);
        if (store.TryPickT1(out var storeError, out var storeValue))
        {
            return storeError;
        }

        var stream = OptionalBoolean(body, "stream", fallback: false);
        if (stream.TryPickT1(out var streamError, out var streamValue))
        {
            return streamError;
        }

        var background = OptionalBoolean(body, "background", fallback: false);
        if (background.TryPickT1(out var backgroundError, out var backgroundValue))
        {
            return backgroundError;
        }

        if (backgroundValue && !storeValue)
        {
            return JsonField.Invalid("background",
                "'background': true needs the response to be stored, but 'store' is false: a background response is fetched later, by its id.");
        }

        var settings = ParseSettings(body);
        if (settings.TryPickT1(out var settingsError, out var settingsValue))
        {
            return settingsError;
        }

        var include = ImmutableArray<string>.Empty;
        if (JsonField.Present(body, "include", out var includeJson))
        {
            var parsed = ParseInclude(includeJson);
            if (parsed.TryPickT1(out var error, out include))
            {
                return error;
            }
        }

        long? compactThreshold = null;
        if (JsonField.Present(body, "context_management", out var contextManagement))
        {
            var parsed = ParseContextManagement(contextManagement);
            if (parsed.TryPickT1(out var error, out var threshold))
            {
                return error;
            }

            compactThreshold = threshold;
        }

        if (IgnoredFieldProblem(body) is { } ignored)
        {
            return ignored;
        }

        return new CreateResponse(modelValue, inputItems, conversationId, previousResponseId, storeValue, streamValue, backgroundValue, settingsValue, include)
        {
            CompactThreshold = compactThreshold,
        };
    }

    private static readonly string[] CompactFields =
    [
        "model", "input", "conversation", "previous_response_id", "instructions",
        // Accepted, checked for type, and ignored: they change nothing about a summary made through Chat Completions.
        "prompt_cache_key", "prompt_cache_retention", "prompt_cache_options", "service_tier",
    ];

    /// <summary>
    /// A <c>POST /v1/responses/compact</c> body: what to compact — a <c>conversation</c> (this service's addition;
    /// the compaction is kept among its items), a chain ending at <c>previous_response_id</c>, and/or <c>input</c>
    /// items — and with which <c>model</c> (OpenAI requires one; here the conversation's or the default stands in).
    /// <c>instructions</c> is checked and ignored: a summary is written under this service's own.
    /// </summary>
    /// <param name="id">The compaction's id, made by the caller.</param>
    public static OneOf<CompactRequest, ValidationError> ParseCompact(JsonElement body, string id)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return JsonField.WrongType("", "a JSON object", body);
        }

        if (JsonField.FirstUnknown(body, "", CompactFields) is { } unknown)
        {
            return unknown;
        }

        var model = OptionalString(body, "model", RequestLimits.MaxModelLength, allowEmpty: false);
        if (model.TryPickT1(out var modelError, out var modelValue))
        {
            return modelError;
        }

        var continuation = ParseContinuation(body);
        if (continuation.TryPickT1(out var continuationError, out var continues))
        {
            return continuationError;
        }

        var (conversationId, previousResponseId) = continues;
        var input = ParseInput(body, continues: conversationId is not null || previousResponseId is not null);
        if (input.TryPickT1(out var inputError, out var inputItems))
        {
            return inputError;
        }

        if (conversationId is not null && !inputItems.IsEmpty)
        {
            return JsonField.Invalid("input",
                "'input' cannot be compacted together with a 'conversation': a conversation's compaction covers its own items. Add the items to the conversation first.");
        }

        if (OptionalString(body, "instructions", RequestLimits.MaxInstructionsLength, allowEmpty: true).TryPickT1(out var instructionsError, out _))
        {
            return instructionsError;
        }

        if (OptionalString(body, "prompt_cache_key", RequestLimits.MaxPromptCacheKeyLength, allowEmpty: true).TryPickT1(out var cacheKeyError, out _))
        {
            return cacheKeyError;
        }

        if (IgnoredFieldProblem(body) is { } ignored)
        {
            return ignored;
        }

        return new CompactRequest(id, modelValue, inputItems, conversationId, previousResponseId);
    }

    /// <summary><c>conversation</c> or <c>previous_response_id</c> (never both): what a request continues, if anything.</summary>
    private static OneOf<(string? ConversationId, string? PreviousResponseId), ValidationError> ParseContinuation(JsonElement body)
    {
        var hasConversation = JsonField.Present(body, "conversation", out var conversationJson);
        var hasPrevious = JsonField.Present(body, "previous_response_id", out var previousJson);
        if (hasConversation && hasPrevious)
        {
            return JsonField.Invalid("previous_response_id",
                "'conversation' and 'previous_response_id' cannot be used together: a response continues either a conversation (reading its items and adding to them) or a previous response, not both.");
        }

        string? conversationId = null;
        if (hasConversation)
        {
            var parsed = ParseConversation(conversationJson);
            if (parsed.TryPickT1(out var error, out var id))
            {
                return error;
            }

            conversationId = id;
        }

        string? previousResponseId = null;
        if (hasPrevious)
        {
            var parsed = JsonField.String(previousJson, "previous_response_id", int.MaxValue, allowEmpty: false);
            if (parsed.TryPickT1(out var error, out var id))
            {
                return error;
            }

            if (!Ids.IsWellFormed(id, ResponsePrefix))
            {
                return JsonField.Invalid("previous_response_id",
                    $"'previous_response_id' must be a response id ({ResponsePrefix}…), but got '{JsonField.Shown(id)}'.");
            }

            previousResponseId = id;
        }

        return (conversationId, previousResponseId);
    }

    private static ValidationError? UnsupportedFieldProblem(JsonElement body)
    {
        if (JsonField.Present(body, "prompt", out _))
        {
            return JsonField.Invalid("prompt",
                "'prompt' (a prompt template stored at OpenAI) is not supported: this service keeps no prompt templates. Send the instructions and input themselves.");
        }

        if (JsonField.Present(body, "moderation", out _))
        {
            return JsonField.Invalid("moderation",
                "'moderation' is not supported: this service does not moderate input or output. Leave it out, or moderate before sending.");
        }

        return null;
    }

    /// <summary>
    /// <c>context_management</c>: <c>[{type: "compaction", compact_threshold?}]</c>, one entry. The threshold is
    /// the context size in tokens (at least <see cref="Context.Compactions.MinThreshold"/>) from which the context is
    /// compacted before the turn; without one, <see cref="Context.Compactions.NearTheWindow"/>.
    /// </summary>
    private static OneOf<long, ValidationError> ParseContextManagement(JsonElement json)
    {
        const string param = "context_management";
        if (json.ValueKind != JsonValueKind.Array)
        {
            return JsonField.WrongType(param, "an array", json);
        }

        if (json.GetArrayLength() != 1)
        {
            return JsonField.Invalid(param, $"'{param}' must hold exactly one entry, {{\"type\": \"compaction\"}}, but has {json.GetArrayLength()}.");
        }

        var entry = json[0];
        var path = $"{param}[0]";
        if (entry.ValueKind != JsonValueKind.Object)
        {
            return JsonField.WrongType(path, "an object", entry);
        }

        if (JsonField.FirstUnknown(entry, path, ["type", "compact_threshold"]) is { } unknown)
        {
            return unknown;
        }

        if (!JsonField.Present(entry, "type", out var type))
        {
            return JsonField.Missing($"{path}.type");
        }

        if (JsonField.Choice(type, $"{path}.type", ["compaction"]).TryPickT1(out var typeError, out _))
        {
            return typeError;
        }

        if (!JsonField.Present(entry, "compact_threshold", out var threshold))
        {
            return Context.Compactions.NearTheWindow;
        }

        var parsed = JsonField.Integer(threshold, $"{path}.compact_threshold", (int)Context.Compactions.MinThreshold, int.MaxValue);
        return parsed.TryPickT1(out var error, out var value) ? error : value;
    }

    /// <summary><c>conversation</c>: its id, or <c>{"id": …}</c> (which the .NET SDK always sends).</summary>
    private static OneOf<string, ValidationError> ParseConversation(JsonElement json)
    {
        var param = "conversation";
        var idJson = json;
        if (json.ValueKind == JsonValueKind.Object)
        {
            if (JsonField.FirstUnknown(json, param, ["id"]) is { } unknown)
            {
                return unknown;
            }

            param = "conversation.id";
            if (!JsonField.Present(json, "id", out idJson))
            {
                return JsonField.Missing(param);
            }
        }
        else if (json.ValueKind != JsonValueKind.String)
        {
            return JsonField.WrongType(param, "a conversation id or an object {\"id\": …}", json);
        }

        var parsed = JsonField.String(idJson, param, int.MaxValue, allowEmpty: false);
        if (parsed.TryPickT1(out var error, out var id))
        {
            return error;
        }

        return Ids.IsWellFormed(id, Ids.ConversationPrefix)
            ? id
            : JsonField.Invalid(param, $"'{param}' must be a conversation id ({Ids.ConversationPrefix}…), but got '{JsonField.Shown(id)}'.");
    }

    /// <summary>
    /// <c>input</c>: required, and not empty, unless the request continues a conversation or a previous
    /// response, which may be asked to go on with nothing new (after a function's output was added, say).
    /// </summary>
    private static OneOf<ImmutableArray<Item>, ValidationError> ParseInput(JsonElement body, bool continues)
    {
        if (!JsonField.Present(body, "input", out var json))
        {
            return continues
                ? ImmutableArray<Item>.Empty
                : new ValidationError(
                    "Missing required parameter: 'input'. Send the user's text, or an array of items; only a request that continues a 'conversation' or a 'previous_response_id' may leave it out.",
                    "input",
                    "missing_required_parameter");
        }

        var parsed = ItemRequests.ParseInput(json, "input");
        if (parsed.TryPickT1(out var error, out var items))
        {
            return error;
        }

        return items.IsEmpty && !continues
            ? JsonField.Invalid("input", "'input' must hold at least one item: only a request that continues a 'conversation' or a 'previous_response_id' may send none.")
            : items;
    }

    /// <summary>The settings the Response echoes and the upstream call is made with.</summary>
    private static OneOf<ResponseSettings, ValidationError> ParseSettings(JsonElement body)
    {
        var instructions = OptionalString(body, "instructions", RequestLimits.MaxInstructionsLength, allowEmpty: true);
        if (instructions.TryPickT1(out var instructionsError, out var instructionsValue))
        {
            return instructionsError;
        }

        var temperature = OptionalNumber(body, "temperature", 0, 2);
        if (temperature.TryPickT1(out var temperatureError, out var temperatureValue))
        {
            return temperatureError;
        }

        var topP = OptionalNumber(body, "top_p", 0, 1);
        if (topP.TryPickT1(out var topPError, out var topPValue))
        {
            return topPError;
        }

        // OpenAI's floor: fewer tokens than this cannot hold a useful answer.
        var maxOutputTokens = OptionalInteger(body, "max_output_tokens", 16, RequestLimits.MaxTokensCeiling);
        if (maxOutputTokens.TryPickT1(out var maxOutputTokensError, out var maxOutputTokensValue))
        {
            return maxOutputTokensError;
        }

        var tools = ImmutableArray<FunctionTool>.Empty;
        if (JsonField.Present(body, "tools", out var toolsJson))
        {
            var parsed = ParseTools(toolsJson);
            if (parsed.TryPickT1(out var error, out tools))
            {
                return error;
            }
        }

        var toolChoice = ToolChoice.Auto;
        if (JsonField.Present(body, "tool_choice", out var toolChoiceJson))
        {
            var parsed = ParseToolChoice(toolChoiceJson, tools);
            if (parsed.TryPickT1(out var error, out toolChoice))
            {
                return error;
            }
        }

        var parallelToolCalls = OptionalBoolean(body, "parallel_tool_calls", fallback: true);
        if (parallelToolCalls.TryPickT1(out var parallelError, out var parallelValue))
        {
            return parallelError;
        }

        var text = TextFormat.Plain;
        if (JsonField.Present(body, "text", out var textJson))
        {
            var parsed = ParseText(textJson);
            if (parsed.TryPickT1(out var error, out text))
            {
                return error;
            }
        }

        string? reasoningEffort = null;
        if (JsonField.Present(body, "reasoning", out var reasoningJson))
        {
            var parsed = ParseReasoning(reasoningJson);
            if (parsed.TryPickT1(out var error, out reasoningEffort))
            {
                return error;
            }
        }

        // Left out, a conversation's setting applies; null is OpenAI's default, disabled.
        Truncation? truncation = body.TryGetProperty("truncation", out var given) && given.ValueKind == JsonValueKind.Null ? Truncation.Disabled : null;
        if (JsonField.Present(body, "truncation", out var truncationJson))
        {
            var parsed = JsonField.Choice(truncationJson, "truncation", Truncations);
            if (parsed.TryPickT1(out var error, out var value))
            {
                return error;
            }

            truncation = value == "auto" ? Truncation.Auto : Truncation.Disabled;
        }

        var metadata = ImmutableSortedDictionary<string, string>.Empty;
        if (JsonField.Present(body, "metadata", out var metadataJson))
        {
            var parsed = ConversationRequests.ParseMetadata(metadataJson, "metadata");
            if (parsed.TryPickT1(out var error, out metadata))
            {
                return error;
            }
        }

        var user = OptionalString(body, "user", RequestLimits.MaxUserLength, allowEmpty: true);
        if (user.TryPickT1(out var userError, out var userValue))
        {
            return userError;
        }

        var safetyIdentifier = OptionalString(body, "safety_identifier", RequestLimits.MaxSafetyIdentifierLength, allowEmpty: true);
        if (safetyIdentifier.TryPickT1(out var safetyError, out var safetyValue))
        {
            return safetyError;
        }

        var promptCacheKey = OptionalString(body, "prompt_cache_key", RequestLimits.MaxPromptCacheKeyLength, allowEmpty: true);
        if (promptCacheKey.TryPickT1(out var cacheKeyError, out var cacheKeyValue))
        {
            return cacheKeyError;
        }

        return new ResponseSettings(
            instructionsValue, temperatureValue, topPValue, maxOutputTokensValue, tools, toolChoice, parallelValue, text,
            reasoningEffort, truncation, metadata, userValue, safetyValue, cacheKeyValue);
    }

    private static OneOf<ImmutableArray<FunctionTool>, ValidationError> ParseTools(JsonElement json)
    {
        if (json.ValueKind != JsonValueKind.Array)
        {
            return JsonField.WrongType("tools", "an array of tools", json);
        }

        var count = json.GetArrayLength();
        if (count > RequestLimits.MaxTools)
        {
            return JsonField.Invalid("tools", $"'tools' may hold at most {RequestLimits.MaxTools} tools, but got {count}.");
        }

        var tools = ImmutableArray.CreateBuilder<FunctionTool>(count);
        var index = 0;
        foreach (var element in json.EnumerateArray())
        {
            var path = $"tools[{index}]";
            var parsed = ParseTool(element, path);
            if (parsed.TryPickT1(out var error, out var tool))
            {
                return error;
            }

            for (var earlier = 0; earlier < tools.Count; earlier++)
            {
                if (tools[earlier].Name == tool.Name)
                {
                    return JsonField.Invalid($"{path}.name",
                        $"'{path}.name' is '{tool.Name}', the name of tools[{earlier}] too: each function needs a name of its own.");
                }
            }

            tools.Add(tool);
            index++;
        }

        return tools.MoveToImmutable();
    }

    private static OneOf<FunctionTool, ValidationError> ParseTool(JsonElement json, string path)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            return JsonField.WrongType(path, "a tool object", json);
        }

        // The type first: a hosted tool's own fields are not worth naming when the tool itself is refused.
        var typePath = $"{path}.type";
        if (!JsonField.Present(json, "type", out var type))
        {
            return JsonField.Missing(typePath);
        }

        if (type.ValueKind != JsonValueKind.String)
        {
            return JsonField.WrongType(typePath, "a string", type);
        }

        if (type.GetString() != "function")
        {
            return JsonField.Invalid(typePath,
                $"Tools of type '{JsonField.Shown(type.GetString()!)}' are not supported: this service answers through Chat Completions, where the model can only call functions the client runs. Offer it as a 'function' tool, or leave it out.");
        }

        if (JsonField.FirstUnknown(json, path, ["type", "name", "description", "parameters", "strict"]) is { } unknown)
        {
            return unknown;
        }

        var name = FunctionNames.Required(json, path, "name");
        if (name.TryPickT1(out var nameError, out var nameValue))
        {
            return nameError;
        }

        string? description = null;
        if (JsonField.Present(json, "description", out var descriptionJson))
        {
            var parsed = JsonField.String(descriptionJson, $"{path}.description", RequestLimits.MaxDescriptionLength, allowEmpty: true);
            if (parsed.TryPickT1(out var error, out description))
            {
                return error;
            }
        }

        string? parameters = null;
        if (JsonField.Present(json, "parameters", out var parametersJson))
        {
            var parsed = KeptObject(parametersJson, $"{path}.parameters", "a JSON Schema object");
            if (parsed.TryPickT1(out var error, out parameters))
            {
                return error;
            }
        }

        bool? strict = null;
        if (JsonField.Present(json, "strict", out var strictJson))
        {
            var parsed = JsonField.Boolean(strictJson, $"{path}.strict");
            if (parsed.TryPickT1(out var error, out var value))
            {
                return error;
            }

            strict = value;
        }

        return new FunctionTool(nameValue, description, parameters, strict);
    }

    /// <summary>
    /// <c>tool_choice</c>: <c>none</c>, <c>auto</c>, <c>required</c>, or one function by name. It is checked
    /// against <paramref name="tools"/>, because Chat Completions providers refuse a choice that names no
    /// offered tool.
    /// </summary>
    private static OneOf<ToolChoice, ValidationError> ParseToolChoice(JsonElement json, ImmutableArray<FunctionTool> tools)
    {
        const string param = "tool_choice";
        if (json.ValueKind == JsonValueKind.String)
        {
            var parsed = JsonField.Choice(json, param, ToolChoiceModes);
            if (parsed.TryPickT1(out var error, out var mode))
            {
                return error;
            }

            return mode == "required" && tools.IsEmpty
                ? JsonField.Invalid(param, "'tool_choice' is 'required', but 'tools' offers no function to call.")
                : new ToolChoice.Mode(mode);
        }

        if (json.ValueKind != JsonValueKind.Object)
        {
            return JsonField.WrongType(param, "'none', 'auto', 'required' or an object {\"type\": \"function\", \"name\": …}", json);
        }

        if (!JsonField.Present(json, "type", out var type))
        {
            return JsonField.Missing("tool_choice.type");
        }

        if (type.ValueKind != JsonValueKind.String)
        {
            return JsonField.WrongType("tool_choice.type", "a string", type);
        }

        if (type.GetString() != "function")
        {
            return JsonField.Invalid("tool_choice.type",
                $"A tool choice of type '{JsonField.Shown(type.GetString()!)}' is not supported: this service offers only function tools, so 'tool_choice' is 'none', 'auto', 'required' or {{\"type\": \"function\", \"name\": …}}.");
        }

        if (JsonField.FirstUnknown(json, param, ["type", "name"]) is { } unknown)
        {
            return unknown;
        }

        var name = FunctionNames.Required(json, param, "name");
        if (name.TryPickT1(out var nameError, out var nameValue))
        {
            return nameError;
        }

        foreach (var tool in tools)
        {
            if (tool.Name == nameValue)
            {
                return new ToolChoice.Function(nameValue);
            }
        }

        return JsonField.Invalid("tool_choice.name", $"'tool_choice.name' is '{nameValue}', but 'tools' offers no function of that name.");
    }

    /// <summary><c>text</c>: the output's <c>format</c> (and a <c>verbosity</c> that is checked, not passed on).</summary>
    private static OneOf<TextFormat, ValidationError> ParseText(JsonElement json)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            return JsonField.WrongType("text", "an object", json);
        }

        if (JsonField.FirstUnknown(json, "text", ["format", "verbosity"]) is { } unknown)
        {
            return unknown;
        }

        if (JsonField.Present(json, "verbosity", out var verbosity) && JsonField.Choice(verbosity, "text.verbosity", Verbosities).TryPickT1(out var verbosityError, out _))
        {
            return verbosityError;
        }

        return JsonField.Present(json, "format", out var format) ? ParseFormat(format, "text.format") : TextFormat.Plain;
    }

    private static OneOf<TextFormat, ValidationError> ParseFormat(JsonElement json, string param)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            return JsonField.WrongType(param, "an object", json);
        }

        if (!JsonField.Present(json, "type", out var typeJson))
        {
            return JsonField.Missing($"{param}.type");
        }

        var type = JsonField.Choice(typeJson, $"{param}.type", TextFormatTypes);
        if (type.TryPickT1(out var typeError, out var typeValue))
        {
            return typeError;
        }

        if (typeValue != "json_schema")
        {
            if (JsonField.FirstUnknown(json, param, ["type"]) is { } unknown)
            {
                return unknown;
            }

            return typeValue == "text" ? TextFormat.Plain : new TextFormat.JsonObject();
        }

        if (JsonField.FirstUnknown(json, param, ["type", "name", "schema", "description", "strict"]) is { } schemaUnknown)
        {
            return schemaUnknown;
        }

        var name = FunctionNames.Required(json, param, "name");
        if (name.TryPickT1(out var nameError, out var nameValue))
        {
            return nameError;
        }

        if (!JsonField.Present(json, "schema", out var schemaJson))
        {
            return JsonField.Missing($"{param}.schema");
        }

        var schema = KeptObject(schemaJson, $"{param}.schema", "a JSON Schema object");
        if (schema.TryPickT1(out var schemaError, out var schemaValue))
        {
            return schemaError;
        }

        string? description = null;
        if (JsonField.Present(json, "description", out var descriptionJson))
        {
            var parsed = JsonField.String(descriptionJson, $"{param}.description", RequestLimits.MaxDescriptionLength, allowEmpty: true);
            if (parsed.TryPickT1(out var error, out description))
            {
                return error;
            }
        }

        bool? strict = null;
        if (JsonField.Present(json, "strict", out var strictJson))
        {
            var parsed = JsonField.Boolean(strictJson, $"{param}.strict");
            if (parsed.TryPickT1(out var error, out var value))
            {
                return error;
            }

            strict = value;
        }

        return new TextFormat.JsonSchema(nameValue, schemaValue, description, strict);
    }

    /// <summary>
    /// <c>reasoning</c>: its <c>effort</c>, which is passed on. The summary settings are checked and not
    /// passed on (Chat Completions returns no reasoning summaries); <c>context</c> and <c>mode</c> are
    /// newer hints with no Chat Completions equivalent, taken as they come.
    /// </summary>
    private static OneOf<string?, ValidationError> ParseReasoning(JsonElement json)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            return JsonField.WrongType("reasoning", "an object", json);
        }

        if (JsonField.FirstUnknown(json, "reasoning", ["effort", "summary", "generate_summary", "context", "mode"]) is { } unknown)
        {
            return unknown;
        }

        foreach (var name in (ReadOnlySpan<string>)["summary", "generate_summary"])
        {
            if (JsonField.Present(json, name, out var summary) && JsonField.Choice(summary, $"reasoning.{name}", ReasoningSummaries).TryPickT1(out var error, out _))
            {
                return error;
            }
        }

        if (!JsonField.Present(json, "effort", out var effort))
        {
            return (string?)null;
        }

        var parsed = JsonField.Choice(effort, "reasoning.effort", ReasoningEfforts);
        return parsed.TryPickT1(out var effortError, out var value) ? effortError : value;
    }

    private static OneOf<ImmutableArray<string>, ValidationError> ParseInclude(JsonElement json)
    {
        if (json.ValueKind != JsonValueKind.Array)
        {
            return JsonField.WrongType("include", "an array of strings", json);
        }

        var values = ImmutableArray.CreateBuilder<string>();
        var index = 0;
        foreach (var element in json.EnumerateArray())
        {
            var param = $"include[{index}]";
            if (element.ValueKind != JsonValueKind.String)
            {
                return JsonField.WrongType(param, "a string", element);
            }

            var value = element.GetString()!;
            if (IncludeQuery.Refusal(value, param) is { } error)
            {
                return error;
            }

            if (!values.Contains(value))
            {
                values.Add(value);
            }

            index++;
        }

        return values.ToImmutable();
    }

    /// <summary>The fields accepted and ignored must still have their type, so a client's mistake there is not hidden either.</summary>
    private static ValidationError? IgnoredFieldProblem(JsonElement body)
    {
        foreach (var name in (ReadOnlySpan<string>)["stream_options", "prompt_cache_options"])
        {
            if (JsonField.Present(body, name, out var value) && value.ValueKind != JsonValueKind.Object)
            {
                return JsonField.WrongType(name, "an object", value);
            }
        }

        foreach (var name in (ReadOnlySpan<string>)["service_tier", "prompt_cache_retention"])
        {
            if (JsonField.Present(body, name, out var value) && value.ValueKind != JsonValueKind.String)
            {
                return JsonField.WrongType(name, "a string", value);
            }
        }

        if (OptionalInteger(body, "top_logprobs", 0, RequestLimits.MaxTopLogprobs).TryPickT1(out var topLogprobsError, out _))
        {
            return topLogprobsError;
        }

        if (OptionalInteger(body, "max_tool_calls", 0, int.MaxValue).TryPickT1(out var maxToolCallsError, out _))
        {
            return maxToolCallsError;
        }

        return null;
    }

    /// <summary>An object kept as the JSON text it arrived as (a JSON Schema, say).</summary>
    private static OneOf<string, ValidationError> KeptObject(JsonElement json, string param, string expected)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            return JsonField.WrongType(param, expected, json);
        }

        return JsonField.HasNul(json) ? JsonField.NulRefused(param) : json.GetRawText();
    }

    private static OneOf<string?, ValidationError> OptionalString(JsonElement body, string name, int maxLength, bool allowEmpty)
    {
        if (!JsonField.Present(body, name, out var value))
        {
            return (string?)null;
        }

        var parsed = JsonField.String(value, name, maxLength, allowEmpty);
        return parsed.TryPickT1(out var error, out var text) ? error : text;
    }

    private static OneOf<bool, ValidationError> OptionalBoolean(JsonElement body, string name, bool fallback) =>
        JsonField.Present(body, name, out var value) ? JsonField.Boolean(value, name) : fallback;

    private static OneOf<double?, ValidationError> OptionalNumber(JsonElement body, string name, double min, double max)
    {
        if (!JsonField.Present(body, name, out var value))
        {
            return (double?)null;
        }

        var parsed = JsonField.Number(value, name, min, max);
        return parsed.TryPickT1(out var error, out var number) ? error : number;
    }

    private static OneOf<int?, ValidationError> OptionalInteger(JsonElement body, string name, int min, int max)
    {
        if (!JsonField.Present(body, name, out var value))
        {
            return (int?)null;
        }

        var parsed = JsonField.Integer(value, name, min, max);
        return parsed.TryPickT1(out var error, out var number) ? error : number;
    }
}
