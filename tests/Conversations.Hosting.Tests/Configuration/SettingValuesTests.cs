using Conversations.Hosting.Configuration;
using Microsoft.Extensions.Configuration;

namespace Conversations.Hosting.Tests.Configuration;

/// <summary>Single settings read at start: defaults when unset, the setting named when its value has the wrong form.</summary>
public sealed class SettingValuesTests
{
    private static readonly IConfiguration Configuration = new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?> { ["CONVERSATIONS_DRAIN_TIMEOUT"] = "soon", ["CONVERSATIONS_SILO"] = " false ", ["Limits:RequestsPerMinute"] = "many" })
        .Build();

    [Fact]
    public void Set_values_are_read_and_unset_ones_default()
    {
        Assert.False(SettingValues.Read(Configuration, "CONVERSATIONS_SILO", true));
        Assert.Equal(7, SettingValues.Read(Configuration, "UNSET", 7));
    }

    [Fact]
    public void A_value_of_the_wrong_form_is_named_with_what_was_expected()
    {
        var refused = Assert.Throws<InvalidSettingException>(() => SettingValues.Read(Configuration, "CONVERSATIONS_DRAIN_TIMEOUT", TimeSpan.FromSeconds(30)));

        Assert.Equal("CONVERSATIONS_DRAIN_TIMEOUT must be a duration (hh:mm:ss) such as 00:00:30; 'soon' is not.", refused.Message);
    }

    [Fact]
    public void A_section_value_of_the_wrong_form_is_named()
    {
        var refused = Assert.Throws<InvalidSettingException>(() => SettingValues.Bind(Configuration.GetSection("Limits"), new Limits()));

        Assert.Contains("Limits:RequestsPerMinute", refused.Message);
    }

    private sealed class Limits
    {
        public int RequestsPerMinute { get; set; }
    }
}
