using Conversations.Abstractions.Access;
using Conversations.Core.Users;
using Microsoft.Extensions.Options;

namespace Conversations.ApiHost.Access;

/// <summary>
/// Before the host serves: loads the key hash secret and makes sure the admin key and the default
/// user exist. Keys generated on the very first start are printed once, to the console only — they
/// never go through logging, and only their hashes are stored.
/// </summary>
public sealed partial class AccessBootstrap(
    IGrainFactory grains,
    KeyResolver keys,
    IOptions<AccessOptions> options,
    ILogger<AccessBootstrap> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var access = grains.GetGrain<IAccessGrain>(IAccessGrain.Key);
        keys.UseSecret(await access.GetHashSecret());

        var adminKey = options.Value.AdminKey;
        var userKey = options.Value.DefaultUserKey;
        var result = await access.Bootstrap(new BootstrapRequest(
            adminKey is null ? null : keys.Hash(adminKey),
            userKey is null ? null : keys.Hash(userKey),
            userKey is null ? null : VisiblePrefixOfConfigured(userKey)));

        if (result.GeneratedAdminKey is not null || result.GeneratedDefaultUserKey is not null)
        {
            Console.Out.Write(GeneratedKeys(result.GeneratedAdminKey, result.GeneratedDefaultUserKey));
        }

        LogReady(logger, adminKey is not null, userKey is not null);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// The keys made on the first start, set apart by blank lines so they stand out in the start-up output,
    /// each alone on its line so it can be copied whole.
    /// </summary>
    private static string GeneratedKeys(string? adminKey, string? userKey)
    {
        var settings = (adminKey, userKey) switch
        {
            (not null, not null) => $"{AccessOptions.AdminKeySetting} and {AccessOptions.DefaultUserKeySetting}",
            (not null, null) => AccessOptions.AdminKeySetting,
            _ => AccessOptions.DefaultUserKeySetting,
        };
        var text = new System.Text.StringBuilder()
            .AppendLine()
            .AppendLine($"Generated keys, shown only this once (set {settings} to choose your own):");
        if (adminKey is not null)
        {
            text.AppendLine("  Admin key:").AppendLine($"    {adminKey}");
        }

        if (userKey is not null)
        {
            text.AppendLine("  API key of the user \"default\":").AppendLine($"    {userKey}");
        }

        return text.AppendLine().ToString();
    }

    /// <summary>
    /// What of a configured key may be listed to tell it apart. An operator's key can have any form and
    /// length, so the usual prefix is shown only when at least 40 characters stay hidden (as with issued
    /// keys); a shorter key shows at most a quarter of itself, and is never stored or listed whole.
    /// </summary>
    private static string VisiblePrefixOfConfigured(string key)
    {
        var usual = ApiKeys.VisiblePrefix(key);
        return key.Length - usual.Length >= 40 ? usual : key[..(key.Length / 4)];
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Access ready (admin key from configuration: {AdminConfigured}; default user key from configuration: {UserKeyConfigured}).")]
    private static partial void LogReady(ILogger logger, bool adminConfigured, bool userKeyConfigured);
}
