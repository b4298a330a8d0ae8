using Conversations.ApiHost.Tests.Compatibility;
using Conversations.ApiHost.Tests.Infrastructure;
using Conversations.Testing.FakeUpstream;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Conversations.ApiHost.Tests.Configuration;

/// <summary>
/// At the default log level, serving requests writes no lines: a line per request (or several, for a
/// refused key or a new conversation) floods the console under load and slows every request. The
/// defaults are in the host's appsettings.json, and configuration that names the same categories
/// overrides them either way.
/// </summary>
public sealed class QuietRequestLogsTests
{
    [Fact]
    public async Task Requests_of_every_kind_write_no_log_lines_at_the_default_level()
    {
        await using var upstream = await FakeOpenAiServer.StartAsync();
        await using var host = await RunningApiHost.StartAsync(upstream, minimumLevel: null);
        using var client = host.Client();
        using var anonymous = new HttpClient { BaseAddress = host.Address };
        await client.GetAsync("/v1/models");
        var before = host.Logs.Lines.Count;

        (await anonymous.GetAsync("/v1/models")).Dispose();
        var conversation = await client.CreateConversation();
        await client.Turn(conversation, "Say quiet");
        (await client.PostChat("""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}""")).Dispose();
        (await client.GetAsync("/v1/models")).Dispose();

        Assert.Empty(host.Logs.Lines.Skip(before));
    }

    [Fact]
    public async Task A_more_verbose_configuration_brings_the_request_lines_back()
    {
        await using var host = await RunningApiHost.StartAsync(minimumLevel: LogLevel.Debug);
        using var anonymous = new HttpClient { BaseAddress = host.Address };
        var before = host.Logs.Lines.Count;

        (await anonymous.GetAsync("/v1/models")).Dispose();

        Assert.Contains(host.Logs.Lines.Skip(before), line => line.Contains("Microsoft.AspNetCore.Hosting.Diagnostics"));
    }

    [Fact]
    public async Task Naming_a_category_in_the_configuration_brings_its_lines_back()
    {
        await using var host = await RunningApiHost.StartAsync(
            overrides: new Dictionary<string, string?> { ["Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] = "Information" },
            minimumLevel: null);
        using var anonymous = new HttpClient { BaseAddress = host.Address };
        var before = host.Logs.Lines.Count;

        (await anonymous.GetAsync("/v1/models")).Dispose();

        Assert.Contains(host.Logs.Lines.Skip(before), line => line.Contains("Microsoft.AspNetCore.Hosting.Diagnostics"));
    }

    [Fact]
    public async Task A_quieter_configuration_is_not_made_louder()
    {
        await using var host = await RunningApiHost.StartAsync(minimumLevel: LogLevel.Error);
        var loggers = host.Services.GetRequiredService<ILoggerFactory>();

        Assert.False(loggers.CreateLogger("Polly").IsEnabled(LogLevel.Warning));
        Assert.False(loggers.CreateLogger("Microsoft.AspNetCore.Authorization.DefaultAuthorizationService").IsEnabled(LogLevel.Warning));
    }
}
