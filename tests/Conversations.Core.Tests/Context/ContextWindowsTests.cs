using Conversations.Core.Context;

namespace Conversations.Core.Tests.Context;

/// <summary>A model's window: the operator's configuration first, then what the upstream reports, then the family's default.</summary>
public sealed class ContextWindowsTests
{
    private static readonly KeyValuePair<string, long>[] None = [];

    [Theory]
    [InlineData("gpt-4o", 128_000)]
    [InlineData("gpt-4o-mini-2024-07-18", 128_000)]
    [InlineData("gpt-4.1-nano", 1_047_576)]
    [InlineData("gpt-4", 8_192)]
    [InlineData("gpt-4-0613", 8_192)]
    [InlineData("gpt-4-turbo", 128_000)]
    [InlineData("gpt-4-32k", 32_768)]
    [InlineData("gpt-3.5-turbo", 16_385)]
    [InlineData("o1-mini", 128_000)]
    [InlineData("o1", 200_000)]
    [InlineData("o3-mini", 200_000)]
    [InlineData("o4-mini", 200_000)]
    [InlineData("gpt-5-mini", 400_000)]
    [InlineData("openai/gpt-4o", 128_000)]
    [InlineData("offline", 16_384)]
    public void The_common_families_have_documented_defaults(string model, long window)
    {
        Assert.Equal(window, ContextWindows.For(model, None, reported: null, fallback: null));
    }

    [Fact]
    public void A_model_nothing_names_has_the_fallback_or_no_known_window()
    {
        Assert.Null(ContextWindows.For("llama3.1:8b", None, null, null));
        Assert.Equal(4096, ContextWindows.For("llama3.1:8b", None, null, 4096));
    }

    [Fact]
    public void The_configuration_wins_over_the_default_and_the_upstreams_report_counts_for_models_the_defaults_do_not_name()
    {
        KeyValuePair<string, long>[] configured = [new("gpt-4o", 64_000), new("gpt-4o-mini", 32_000), new("qwen", 4_000)];

        Assert.Equal(32_000, ContextWindows.For("gpt-4o-mini", configured, reported: 100_000, fallback: null));
        Assert.Equal(64_000, ContextWindows.For("GPT-4o-2024-08-06", configured, reported: null, fallback: null));
        Assert.Equal(4_000, ContextWindows.For("qwen2.5-7b", configured, reported: 32_768, fallback: 2_000));
        Assert.Equal(32_768, ContextWindows.For("Qwen/Qwen2.5-7B", None, reported: 32_768, fallback: 2_000));
        Assert.Equal(128_000, ContextWindows.For("gpt-4o", None, reported: 100_000, fallback: null));
    }

    [Theory]
    [InlineData(128_000, null, 4096, 123_904)]
    [InlineData(128_000, 1000, 4096, 127_000)]
    [InlineData(8_192, null, 4096, 6_144)]
    [InlineData(8_192, 8_192, 4096, 0)]
    public void The_budget_is_the_window_less_the_requested_cap_or_the_default_reserve_at_most_a_quarter(long window, int? cap, int reserve, long budget)
    {
        Assert.Equal(budget, ContextBudget.For(window, cap, reserve));
    }

    [Fact]
    public void An_unknown_window_has_no_budget()
    {
        Assert.Null(ContextBudget.For(null, 100, 4096));
    }

    [Theory]
    [InlineData("gpt-4o", TokenEncoding.O200kBase)]
    [InlineData("gpt-4o-mini", TokenEncoding.O200kBase)]
    [InlineData("gpt-4.1", TokenEncoding.O200kBase)]
    [InlineData("o3-mini", TokenEncoding.O200kBase)]
    [InlineData("gpt-5", TokenEncoding.O200kBase)]
    [InlineData("gpt-4", TokenEncoding.Cl100kBase)]
    [InlineData("gpt-4-turbo", TokenEncoding.Cl100kBase)]
    [InlineData("gpt-3.5-turbo", TokenEncoding.Cl100kBase)]
    [InlineData("azure/gpt-35-turbo", TokenEncoding.Cl100kBase)]
    [InlineData("offline", TokenEncoding.O200kBase)]
    [InlineData("meta-llama/Llama-3.1-8B-Instruct", TokenEncoding.O200kBase)]
    public void A_models_family_decides_its_encoding(string model, TokenEncoding encoding)
    {
        Assert.Equal(encoding, TokenEncodings.For(model));
    }
}
