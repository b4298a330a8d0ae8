namespace Conversations.ApiHost.Tests.Infrastructure;

/// <summary>The admin calls tests make to set up users and keys, each failing the test on an unexpected status.</summary>
public static class AdminApi
{
    /// <summary>Creates a user (<paramref name="limitsJson"/> is the <c>limits</c> object, if any) and returns the user object.</summary>
    public static async Task<JsonElement> CreateUser(this HttpClient admin, string name, string? limitsJson = null)
    {
        var body = limitsJson is null ? JsonSerializer.Serialize(new { name }) : $$"""{"name":{{JsonSerializer.Serialize(name)}},"limits":{{limitsJson}}}""";
        using var response = await admin.PostAsync("/v1/admin/users", Api.Json(body));
        var json = await response.ReadJson();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"create user answered {(int)response.StatusCode}: {json}");
        return json;
    }

    /// <summary>Issues a key for <paramref name="userId"/> and returns the issued key object (the only one that carries <c>key</c>).</summary>
    public static async Task<JsonElement> IssueKey(this HttpClient admin, string userId)
    {
        using var response = await admin.PostAsync($"/v1/admin/users/{userId}/keys", null);
        var json = await response.ReadJson();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"issue key answered {(int)response.StatusCode}: {json}");
        return json;
    }

    /// <summary>A new user with one key: what most multi-user tests start from.</summary>
    public static async Task<TestUser> NewUser(this HttpClient admin, string name, string? limitsJson = null)
    {
        var user = await admin.CreateUser(name, limitsJson);
        var key = await admin.IssueKey(user.GetProperty("id").GetString()!);
        return new TestUser(user.GetProperty("id").GetString()!, key.GetProperty("id").GetString()!, key.GetProperty("key").GetString()!);
    }

    /// <summary>Revokes a key; fails the test on anything but 200.</summary>
    public static async Task<JsonElement> RevokeKey(this HttpClient admin, string keyId)
    {
        using var response = await admin.DeleteAsync($"/v1/admin/keys/{keyId}");
        var json = await response.ReadJson();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"revoke answered {(int)response.StatusCode}: {json}");
        return json;
    }

    /// <summary>The caller's own usage report (<c>GET /v1/usage</c>).</summary>
    public static async Task<JsonElement> Usage(this HttpClient client)
    {
        using var response = await client.GetAsync("/v1/usage");
        var json = await response.ReadJson();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"usage answered {(int)response.StatusCode}: {json}");
        return json;
    }
}

/// <summary>A user made through the admin API, with the one key issued for them.</summary>
public sealed record TestUser(string Id, string KeyId, string Key);
