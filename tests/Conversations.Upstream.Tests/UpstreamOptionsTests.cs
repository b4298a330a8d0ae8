using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static Conversations.Upstream.Tests.UpstreamHarness;

namespace Conversations.Upstream.Tests;

public sealed class UpstreamOptionsTests
{
    private static UpstreamOptions Bind(Dictionary<string, string?> values)
    {
        var options = new UpstreamOptions();
        UpstreamOptions.Bind(new ConfigurationBuilder().AddInMemoryCollection(values).Build(), options);
        return options;
    }

    [Fact]
    public void Nothing_configured_means_offline_with_documented_defaults()
    {
        var options = Bind([]);

        Assert.False(options.IsConfigured);
        Assert.True(options.OfflineModelActive);
        Assert.Equal("offline", options.DefaultModel);
        Assert.Equal("https://api.openai.com/v1", options.BaseUrl);
        Assert.Equal(
            (TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(2), 2, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(60)),
            (options.ConnectTimeout, options.AttemptTimeout, options.TotalTimeout, options.StreamIdleTimeout, options.MaxRetries, options.MaxRetryAfter, options.ModelsCacheDuration));
        Assert.Equal((0.5, 10, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(15)),
            (options.CircuitBreaker.FailureRatio, options.CircuitBreaker.MinimumThroughput, options.CircuitBreaker.SamplingDuration, options.CircuitBreaker.BreakDuration));
        Assert.Empty(options.Problems());
    }

    [Fact]
    public void A_base_url_alone_configures_an_upstream_that_needs_no_key()
    {
        var options = Bind(new() { ["OPENAI_BASE_URL"] = "http://localhost:11434/v1" });

        Assert.True(options.IsConfigured);
        Assert.False(options.OfflineModelActive);
        Assert.Null(options.ApiKey);
        Assert.Equal(("http://localhost:11434/v1", "gpt-4o-mini"), (options.BaseUrl, options.DefaultModel));
    }

    [Fact]
    public void Naming_openai_explicitly_still_counts_as_configured()
    {
        Assert.True(Bind(new() { ["OPENAI_BASE_URL"] = "https://api.openai.com/v1" }).IsConfigured);
    }

    [Fact]
    public void The_default_model_and_the_offline_switch_are_read_from_their_variables()
    {
        var options = Bind(new()
        {
            ["OPENAI_API_KEY"] = "sk-x",
            ["CONVERSATIONS_DEFAULT_MODEL"] = "llama3.2",
            ["CONVERSATIONS_OFFLINE_MODEL"] = "TRUE",
        });

        Assert.Equal("llama3.2", options.DefaultModel);
        Assert.True(options.OfflineModelActive);
    }

    [Theory]
    [InlineData("false", false)]
    [InlineData("0", false)]
    [InlineData("1", true)]
    [InlineData("yes", false)]
    public void Only_true_or_1_turns_the_offline_model_on_beside_an_upstream(string value, bool active)
    {
        Assert.Equal(active, Bind(new() { ["OPENAI_API_KEY"] = "sk-x", ["CONVERSATIONS_OFFLINE_MODEL"] = value }).OfflineModelActive);
    }

    [Fact]
    public void Blank_variables_count_as_unset()
    {
        var options = Bind(new() { ["OPENAI_API_KEY"] = "  ", ["OPENAI_BASE_URL"] = "", ["CONVERSATIONS_DEFAULT_MODEL"] = " " });

        Assert.False(options.IsConfigured);
        Assert.Equal("offline", options.DefaultModel);
    }

    [Fact]
    public void Timings_come_from_the_upstream_section()
    {
        var options = Bind(new()
        {
            ["Upstream:AttemptTimeout"] = "00:01:30",
            ["Upstream:TotalTimeout"] = "00:03:00",
            ["Upstream:StreamIdleTimeout"] = "00:00:45",
            ["Upstream:MaxRetries"] = "5",
            ["Upstream:MaxRetryAfter"] = "00:00:20",
            ["Upstream:CircuitBreaker:BreakDuration"] = "00:01:00",
        });

        Assert.Equal(
            (TimeSpan.FromSeconds(90), TimeSpan.FromMinutes(3), TimeSpan.FromSeconds(45), 5, TimeSpan.FromSeconds(20), TimeSpan.FromMinutes(1)),
            (options.AttemptTimeout, options.TotalTimeout, options.StreamIdleTimeout, options.MaxRetries, options.MaxRetryAfter, options.CircuitBreaker.BreakDuration));
    }

    [Fact]
    public void Unusable_settings_are_named()
    {
        var problems = Bind(new()
        {
            ["OPENAI_BASE_URL"] = "localhost:8080",
            ["Upstream:AttemptTimeout"] = "00:00:00",
            ["Upstream:MaxRetries"] = "50",
            ["Upstream:StreamIdleTimeout"] = "-00:00:01",
            ["Upstream:CircuitBreaker:FailureRatio"] = "2",
        }).Problems();

        Assert.Equal(5, problems.Count);
        Assert.Contains(problems, p => p.Contains("OPENAI_BASE_URL"));
        Assert.Contains(problems, p => p.Contains("Upstream:AttemptTimeout"));
        Assert.Contains(problems, p => p.Contains("Upstream:MaxRetries"));
        Assert.Contains(problems, p => p.Contains("Upstream:StreamIdleTimeout"));
        Assert.Contains(problems, p => p.Contains("Upstream:CircuitBreaker:FailureRatio"));
    }

    [Fact]
    public void A_value_of_the_wrong_form_is_a_problem_naming_the_setting()
    {
        var problems = Bind(new() { ["Upstream:AttemptTimeout"] = "five minutes" }).Problems();

        var problem = Assert.Single(problems);
        Assert.Contains("Upstream:AttemptTimeout", problem);
    }

    [Fact]
    public void The_service_refuses_unusable_settings_with_their_names()
    {
        using var services = Build(new Dictionary<string, string?> { ["Upstream:TotalTimeout"] = "00:00:00.001" });

        var refused = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<UpstreamOptions>>().Value);

        Assert.Contains("Upstream:TotalTimeout", refused.Message);
    }
}
