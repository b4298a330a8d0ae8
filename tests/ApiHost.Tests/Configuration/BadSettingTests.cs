using Conversations.ApiHost.Tests.Infrastructure;

namespace Conversations.ApiHost.Tests.Configuration;

/// <summary>
/// A setting the service cannot start with stops the real process at once with one line on stderr that
/// names the setting and says what is wrong: no stack trace to dig it out of, and nothing started.
/// </summary>
public sealed class BadSettingTests
{
    [Theory]
    [InlineData("CONVERSATIONS_ADMIN_KEY", "0123456789")]
    [InlineData("CONVERSATIONS_API_KEY", "too-short-a-key")]
    [InlineData("Upstream:AttemptTimeout", "five minutes")]
    [InlineData("OPENAI_BASE_URL", "localhost:8080")]
    [InlineData("Orleans:Endpoints:SiloPort", "eleven")]
    [InlineData("Orleans:Endpoints:SiloPort", "70000")]
    [InlineData("CONVERSATIONS_DRAIN_TIMEOUT", "soon")]
    [InlineData("Limits:RequestsPerMinute", "many")]
    [InlineData("Context:Windows:gpt-4o", "0")]
    [InlineData("Context:DefaultWindow", "-5")]
    [InlineData("Context:AnswerReserve", "lots")]
    [InlineData("ApiHost:TurnCheckInterval", "00:00:00")]
    [InlineData("ApiHost:TurnCheckInterval", "often")]
    [InlineData("Store:SqliteSynchronous", "sometimes")]
    [InlineData("Store:SqliteSynchronous", "7")]
    [InlineData("Cluster:Tls:Certificate", "/nonexistent/node.pfx")]
    [InlineData("FailedKeys:Window", "00:00:00")]
    [InlineData("FailedKeys:Limit", "-1")]
    [InlineData("ForwardedHeaders:KnownProxies", "10.0.0.1,proxy.internal")]
    [InlineData("ForwardedHeaders:KnownNetworks", "10.0.0.0/33")]
    public async Task A_bad_setting_stops_the_process_with_one_line_naming_it(string setting, string value)
    {
        var data = RunningApiHost.NewDataDirectory();
        try
        {
            await using var process = ApiHostProcess.Launch(new Dictionary<string, string?> { ["CONVERSATIONS_DATA_DIR"] = data, [setting] = value }, data);

            var exitCode = await process.WaitForExitAsync(TimeSpan.FromSeconds(60));

            Assert.NotEqual(0, exitCode);
            var line = Assert.Single(process.ErrorOutput);
            Assert.Contains(setting, line);
            Assert.DoesNotContain(process.Output, l => l.StartsWith("   at ", StringComparison.Ordinal));
            // Refused before anything started: nothing was stored.
            Assert.False(File.Exists(Path.Combine(data, "conversations.db")));
        }
        finally
        {
            RunningApiHost.TryDelete(data);
        }
    }

    [Fact]
    public async Task A_key_too_short_is_named_without_showing_it()
    {
        var data = RunningApiHost.NewDataDirectory();
        try
        {
            await using var process = ApiHostProcess.Launch(new Dictionary<string, string?> { ["CONVERSATIONS_DATA_DIR"] = data, ["CONVERSATIONS_ADMIN_KEY"] = "hunter2-hunter" }, data);

            await process.WaitForExitAsync(TimeSpan.FromSeconds(60));

            var line = Assert.Single(process.ErrorOutput);
            Assert.Contains("CONVERSATIONS_ADMIN_KEY", line);
            Assert.Contains("at least 32", line);
            Assert.DoesNotContain(process.Output, l => l.Contains("hunter2-hunter", StringComparison.Ordinal));
        }
        finally
        {
            RunningApiHost.TryDelete(data);
        }
    }
}
