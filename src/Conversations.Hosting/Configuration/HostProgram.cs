using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Conversations.Hosting.Configuration;

/// <summary>
/// How the programs run their host. A setting the host cannot start with ends the program with one line
/// on standard error, naming the setting and what is wrong, and exit code 1: a stack trace, or the host's
/// report of a failed start, would only bury that line. Any other failure keeps its stack trace.
/// </summary>
public static class HostProgram
{
    public const int BadSettingExitCode = 1;

    public static async Task<int> RunAsync(Func<IHost> build)
    {
        try
        {
            var host = build();
            // The options validated on start, checked before the host starts: a failure there would
            // otherwise be logged by the host as a failed start, stack trace and all.
            host.Services.GetService<IStartupValidator>()?.Validate();
            await host.RunAsync();
            return 0;
        }
        catch (Exception e) when (Describe(e) is { } line)
        {
            await Console.Error.WriteLineAsync($"Cannot start: {line}");
            return BadSettingExitCode;
        }
    }

    /// <summary>The one line for a settings failure; null for any other exception.</summary>
    public static string? Describe(Exception exception) => exception switch
    {
        InvalidSettingException invalid => OneLine(invalid.Message),
        OptionsValidationException validation => OneLine(string.Join("; ", validation.Failures)),
        AggregateException several when several.InnerExceptions.Count > 0 && several.InnerExceptions.All(e => Describe(e) is not null) =>
            string.Join("; ", several.InnerExceptions.Select(e => Describe(e))),
        _ => null,
    };

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}
