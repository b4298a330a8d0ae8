using Conversations.Abstractions.Upstream;
using Conversations.Core.Upstream;
using Microsoft.Extensions.DependencyInjection;
using static Conversations.Upstream.Tests.UpstreamHarness;

namespace Conversations.Upstream.Tests;

/// <summary>
/// The service's counter against counts known independently: tiktoken's own tests and the OpenAI cookbook's
/// outputs for <c>cl100k_base</c>, and the OpenAI tokenizer page for <c>o200k_base</c>.
/// </summary>
public sealed class TokenCounterTests : IDisposable
{
    private readonly ServiceProvider _services = Build(new Dictionary<string, string?>());

    private ITokenCounter Counter => _services.GetRequiredService<ITokenCounter>();

    public void Dispose() => _services.Dispose();

    [Theory]
    [InlineData("hello world", 2)]
    [InlineData("tiktoken is great!", 6)]
    [InlineData("antidisestablishmentarianism", 6)]
    [InlineData("2 + 2 = 4", 7)]
    [InlineData("お誕生日おめでとう", 9)]
    [InlineData("👍", 3)]
    [InlineData("today\n \n", 2)]
    public void Gpt_4_and_gpt_3_5_text_is_counted_in_cl100k_base(string text, long tokens)
    {
        Assert.Equal(tokens, Counter.For("gpt-4")(text));
        Assert.Equal(tokens, Counter.For("gpt-3.5-turbo")(text));
    }

    [Theory]
    [InlineData("hello world", 2)]
    [InlineData("Now is the time for all good men to come to the aid of their country.", 17)]
    [InlineData("", 0)]
    public void Gpt_4o_text_is_counted_in_o200k_base(string text, long tokens)
    {
        Assert.Equal(tokens, Counter.For("gpt-4o")(text));
        Assert.Equal(tokens, Counter.For("o3-mini")(text));
    }

    [Fact]
    public void A_prompt_costs_its_texts_plus_three_per_message_and_three_for_the_reply()
    {
        UpstreamMessage[] messages = [new("system", "tiktoken is great!"), new("user", "2 + 2 = 4")];

        // "system" and "user" are one token each in cl100k_base.
        Assert.Equal(3 + (3 + 1 + 6) + (3 + 1 + 7), PromptTokens.Count(messages, Counter.For("gpt-4")));
    }

    /// <summary>
    /// Found by the route fuzz suite: a 200,000-character word took 20 s to count (byte-pair encoding is
    /// quadratic in a word's length), so a few such requests stalled the host. Long runs are counted in pieces.
    /// </summary>
    [Fact]
    public void A_very_long_word_is_counted_in_pieces_quickly_and_within_a_token_per_piece()
    {
        var random = new Random(15);
        var word = new string([.. Enumerable.Range(0, 20_000).Select(_ => (char)('a' + random.Next(26)))]);
        var exact = Microsoft.ML.Tokenizers.TiktokenTokenizer.CreateForEncoding("o200k_base").CountTokens(word);

        var counted = Counter.For("gpt-4o")(word);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var huge = Counter.For("gpt-4o")(new string('x', 2_000_000));

        Assert.InRange(counted, exact - (word.Length / TokenCounter.LongestRun), exact + (word.Length / TokenCounter.LongestRun));
        Assert.True(huge > 0);
        // Counted whole, this would take hours; in pieces, well under a second on an idle machine.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"2,000,000 characters took {clock.Elapsed.TotalSeconds:0.0} s");
    }

    [Fact]
    public void Text_with_spaces_is_counted_exactly_as_a_whole_even_when_long()
    {
        var text = string.Concat(Enumerable.Repeat("The quick brown fox jumps over the lazy dog. ", 5_000));

        Assert.Equal(Microsoft.ML.Tokenizers.TiktokenTokenizer.CreateForEncoding("o200k_base").CountTokens(text), Counter.For("gpt-4o")(text));
    }
}
