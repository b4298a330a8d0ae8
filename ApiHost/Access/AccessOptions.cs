namespace Conversations.ApiHost.Access;

/// <summary>
/// The keys an operator may choose instead of having them generated on the first start:
/// <c>CONVERSATIONS_ADMIN_KEY</c> and <c>CONVERSATIONS_API_KEY</c> (the built-in user <c>default</c>'s).
/// </summary>
public sealed class AccessOptions
{
    public const string AdminKeySetting = "CONVERSATIONS_ADMIN_KEY";
    public const string DefaultUserKeySetting = "CONVERSATIONS_API_KEY";

    /// <summary>The shortest key the service accepts from configuration; the keys it makes itself are longer.</summary>
    public const int MinimumConfiguredKeyLength = 32;

    /// <summary>The configured admin key; null to have one generated on the first start.</summary>
    public string? AdminKey { get; set; }

    /// <summary>The configured key of the user <c>default</c>; null to have one generated on the first start.</summary>
    public string? DefaultUserKey { get; set; }

    public static void Bind(IConfiguration configuration, AccessOptions options)
    {
        options.AdminKey = NonEmpty(configuration[AdminKeySetting]);
        options.DefaultUserKey = NonEmpty(configuration[DefaultUserKeySetting]);
    }

    /// <summary>
    /// What is wrong with the keys, naming the setting and never showing the key. A configured key must be
    /// long enough that guessing it, or brute-forcing its hash from a copy of the database (which also
    /// holds the hash secret), is hopeless.
    /// </summary>
    public IReadOnlyList<string> Problems() =>
        [.. TooShort(AdminKeySetting, AdminKey), .. TooShort(DefaultUserKeySetting, DefaultUserKey)];

    private static IEnumerable<string> TooShort(string setting, string? key)
    {
        if (key is not null && key.Length < MinimumConfiguredKeyLength)
        {
            yield return $"{setting} is {key.Length} characters long; use at least {MinimumConfiguredKeyLength} random characters " +
                "(for example the output of `openssl rand -hex 24`), or leave it unset to have one generated.";
        }
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
