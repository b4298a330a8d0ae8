using Microsoft.Extensions.Logging;

namespace Conversations.Hosting.Observability;

/// <summary>
/// Keeps the per-request lines of ASP.NET Core (request started, endpoint executed, request finished,
/// and three lines for every refused key), of the upstream HTTP client (four lines per call) and of
/// Polly (two lines for each new grain activation's placement) out of the default Information log. Written for
/// every request, they cost more than the rest of the request's work together, and under load the
/// console logger's full queue blocks the threads that serve requests. They come back whenever logging
/// is configured to say more than the default: a minimum level below Information, any rule below
/// Information, or a rule naming those categories. A default above Information is left to govern them.
/// </summary>
public static class QuietRequestLogs
{
    private static readonly string[] Categories =
    [
        "Microsoft.AspNetCore.Hosting.Diagnostics",
        "Microsoft.AspNetCore.Routing.EndpointMiddleware",
        "Microsoft.AspNetCore.Http.Result",
        "System.Net.Http.HttpClient",
        "Microsoft.AspNetCore.Authorization",
        "Conversations.ApiHost.Access.ApiKeyAuthentication",
        "Polly",
    ];

    public static void Apply(LoggerFilterOptions options)
    {
        // Only over a default of exactly Information: below it the lines were asked for, and above it
        // a Warning rule for these categories would let through more than the configuration does.
        var defaultLevel = options.Rules.LastOrDefault(rule => rule.CategoryName is null && rule.ProviderName is null)?.LogLevel ?? options.MinLevel;
        if (defaultLevel != LogLevel.Information
            || options.MinLevel < LogLevel.Information
            || options.Rules.Any(rule => rule.LogLevel < LogLevel.Information || Names(rule.CategoryName)))
        {
            return;
        }

        foreach (var category in Categories)
        {
            options.Rules.Add(new LoggerFilterRule(null, category, LogLevel.Warning, null));
        }
    }

    private static bool Names(string? category) =>
        category is not null
        && (category.StartsWith("Microsoft.AspNetCore", StringComparison.OrdinalIgnoreCase)
            || category.StartsWith("System.Net.Http", StringComparison.OrdinalIgnoreCase)
            || category.StartsWith("Polly", StringComparison.OrdinalIgnoreCase)
            || category.StartsWith("Conversations.ApiHost.Access", StringComparison.OrdinalIgnoreCase)
            || category.Equals("Microsoft", StringComparison.OrdinalIgnoreCase)
            || category.Equals("System", StringComparison.OrdinalIgnoreCase));
}
