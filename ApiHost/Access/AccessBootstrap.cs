using Conversations.Abstractions.Access;
using Conversations.Core.Users;

namespace Conversations.ApiHost.Access;

/// <summary>
/// Before the host serves: loads the key hash secret and makes sure the admin key and the default
/// user exist. Keys generated on the very first start are printed once, to the console only — they
/// never go through logging, and only their hashes are stored.
/// </summary>
public sealed partial class AccessBootstrap(
    IGrainFactory grains,
    KeyResolver keys,
    IConfiguration configuration,
    ILogger<AccessBootstrap> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var access = grains.GetGrain<IAccessGrain>(IAccessGrain.Key);
        keys.UseSecret(await access.GetHashSecret());

        var adminKey = Strong(NonEmpty(configuration["CONVERSATIONS_ADMIN_KEY"]), "CONVERSATIONS_ADMIN_KEY");
        var userKey = Strong(NonEmpty(configuration["CONVERSATIONS_API_KEY"]), "CONVERSATIONS_API_KEY");
        var result = await access.Bootstrap(new BootstrapRequest(
            adminKey is null ? null : keys.Hash(adminKey),
            userKey is null ? null : keys.Hash(userKey),
            userKey is null ? null : VisiblePrefixOfConfigured(userKey)));

        if (result.GeneratedAdminKey is { } generatedAdmin)
        {
            Console.Out.WriteLine($"""

                Generated the admin key (shown only this once; set CONVERSATIONS_ADMIN_KEY to choose your own):
                    {generatedAdmin}
                """);
        }

        if (result.GeneratedDefaultUserKey is { } generatedUser)
        {
            Console.Out.WriteLine($"""

                Generated an API key for the user "default" (shown only this once; set CONVERSATIONS_API_KEY to choose your own):
                    {generatedUser}

                """);
        }

        LogReady(logger, adminKey is not null, userKey is not null);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

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

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>The shortest key the service accepts from configuration; the keys it makes itself are longer.</summary>
    public const int MinimumConfiguredKeyLength = 32;

    /// <summary>
    /// A configured key must be long enough that guessing it, or brute-forcing its hash from a copy of
    /// the database (which also holds the hash secret), is hopeless.
    /// </summary>
    private static string? Strong(string? key, string setting) =>
        key is null || key.Length >= MinimumConfiguredKeyLength
            ? key
            : throw new InvalidOperationException(
                $"{setting} is {key.Length} characters long; use at least {MinimumConfiguredKeyLength} random characters " +
                "(for example the output of `openssl rand -hex 24`), or leave it unset to have one generated.");

    [LoggerMessage(Level = LogLevel.Information, Message = "Access ready (admin key from configuration: {AdminConfigured}; default user key from configuration: {UserKeyConfigured}).")]
    private static partial void LogReady(ILogger logger, bool adminConfigured, bool userKeyConfigured);
}
