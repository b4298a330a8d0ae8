namespace Conversations.ApiHost.Tests.Infrastructure;

/// <summary>
/// Configuration that puts every log category at one level. The host's appsettings.json names some
/// categories (the per-request ones, Orleans), and a named category's level wins over the default's, so
/// "everything at Trace" names each of them as well as the default.
/// </summary>
public static class LogLevels
{
    public static Dictionary<string, string?> Everywhere(LogLevel level)
    {
        // The same file the host reads: the ApiHost's appsettings.json, copied next to the tests.
        var shipped = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: false)
            .Build()
            .GetSection("Logging:LogLevel")
            .GetChildren()
            .Select(category => category.Key);
        return shipped.Append("Default").Distinct().ToDictionary(category => $"Logging:LogLevel:{category}", _ => (string?)level.ToString());
    }
}
