using System.Text.Json;
using Conversations.Core.Json;
using Conversations.Core.Users;
using OneOf;

namespace Conversations.Core.Requests;

/// <summary>Validates the admin routes' bodies.</summary>
public static class AdminRequests
{
    public const int MaxNameLength = 256;

    /// <summary><c>{name, limits?: {requests_per_minute?, tokens_per_day?, concurrent_streams?}}</c>; a null limit means the default.</summary>
    public static OneOf<NewUser, ValidationError> ParseCreateUser(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return JsonField.WrongType("", "a JSON object", body);
        }

        if (JsonField.FirstUnknown(body, "", ["name", "limits"]) is { } unknown)
        {
            return unknown;
        }

        if (!body.TryGetProperty("name", out var nameJson) || nameJson.ValueKind == JsonValueKind.Null)
        {
            return JsonField.Missing("name");
        }

        var name = JsonField.String(nameJson, "name", MaxNameLength, allowEmpty: false);
        if (name.TryPickT1(out var nameError, out var nameValue))
        {
            return nameError;
        }

        if (nameValue.Trim().Length == 0)
        {
            return JsonField.Invalid("name", "'name' must not be blank.");
        }

        var limits = UserLimits.Defaults;
        if (body.TryGetProperty("limits", out var limitsJson) && limitsJson.ValueKind != JsonValueKind.Null)
        {
            if (limitsJson.ValueKind != JsonValueKind.Object)
            {
                return JsonField.WrongType("limits", "an object", limitsJson);
            }

            if (JsonField.FirstUnknown(limitsJson, "limits", ["requests_per_minute", "tokens_per_day", "concurrent_streams"]) is { } unknownLimit)
            {
                return unknownLimit;
            }

            var rpm = OptionalCount(limitsJson, "requests_per_minute", 1_000_000);
            if (rpm.TryPickT1(out var rpmError, out var rpmValue))
            {
                return rpmError;
            }

            var tpd = OptionalCount(limitsJson, "tokens_per_day", int.MaxValue);
            if (tpd.TryPickT1(out var tpdError, out var tpdValue))
            {
                return tpdError;
            }

            var streams = OptionalCount(limitsJson, "concurrent_streams", 100_000);
            if (streams.TryPickT1(out var streamsError, out var streamsValue))
            {
                return streamsError;
            }

            limits = new UserLimits(rpmValue, tpdValue, streamsValue);
        }

        return new NewUser(nameValue.Trim(), limits);
    }

    private static OneOf<int?, ValidationError> OptionalCount(JsonElement json, string name, int max)
    {
        if (!json.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return (int?)null;
        }

        var parsed = JsonField.Integer(value, $"limits.{name}", 1, max);
        return parsed.TryPickT1(out var error, out var count) ? error : count;
    }
}
