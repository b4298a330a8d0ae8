using System.Collections.Immutable;
using Conversations.Abstractions.Upstream;
using Conversations.Core.Responses;
using Conversations.Core.Upstream;
using Microsoft.Extensions.DependencyInjection;
using static Conversations.Upstream.Tests.UpstreamHarness;

namespace Conversations.Upstream.Tests;

/// <summary>
/// The count's error against OpenAI's own <c>prompt_tokens</c>, on the two requests whose billed counts OpenAI
/// publishes (the cookbook "How to count tokens with tiktoken": a few-shot chat, and a chat offering one tool),
/// for both OpenAI encodings. Target: within 3%.
/// </summary>
public sealed class CountErrorTests : IDisposable
{
    private const double Target = 0.03;

    private static readonly (string Role, string? Name, string Content)[] FewShot =
    [
        ("system", null, "You are a helpful, pattern-following assistant that translates corporate jargon into plain English."),
        ("system", "example_user", "New synergies will help drive top-line growth."),
        ("system", "example_assistant", "Things working well together will increase revenue."),
        ("system", "example_user", "Let's circle back when we have more bandwidth to touch base on opportunities for increased leverage."),
        ("system", "example_assistant", "Let's talk later when we're less busy about how to do better."),
        ("user", null, "This late pivot means we don't have time to boil the ocean for the client deliverable."),
    ];

    private static readonly FunctionTool Weather = new(
        "get_current_weather",
        "Get the current weather in a given location",
        """{"type":"object","properties":{"location":{"type":"string","description":"The city and state, e.g. San Francisco, CA"},"unit":{"type":"string","description":"The unit of temperature to return","enum":["celsius","fahrenheit"]}},"required":["location"]}""",
        null);

    private readonly ServiceProvider _services = Build(new Dictionary<string, string?>());

    private ITokenCounter Counter => _services.GetRequiredService<ITokenCounter>();

    public void Dispose() => _services.Dispose();

    /// <remarks>
    /// The Responses API has no message <c>name</c>, so the service never sends one; what a name adds is OpenAI's
    /// published rule (its tokens plus one), added here so that the request counted is the one OpenAI billed.
    /// </remarks>
    [Theory]
    [InlineData("gpt-4", 129)]
    [InlineData("gpt-3.5-turbo", 129)]
    [InlineData("gpt-4o", 124)]
    [InlineData("gpt-4o-mini", 124)]
    public void A_few_shot_chat_is_counted_as_openai_billed_it(string model, long billed)
    {
        var count = Counter.For(model);
        var names = FewShot.Sum(m => m.Name is { } name ? count(name) + 1 : 0);

        var counted = PromptTokens.Count(FewShot.Select(m => new UpstreamMessage(m.Role, m.Content)), count) + names;

        AssertWithinTarget(counted, billed);
    }

    [Theory]
    [InlineData("gpt-4", 105)]
    [InlineData("gpt-3.5-turbo", 105)]
    [InlineData("gpt-4o", 101)]
    [InlineData("gpt-4o-mini", 101)]
    public void A_chat_offering_a_tool_is_counted_as_openai_billed_it(string model, long billed)
    {
        UpstreamMessage[] messages =
        [
            new("system", "You are a helpful assistant that can answer to questions about the weather."),
            new("user", "What's the weather like in San Francisco?"),
        ];

        var counted = PromptTokens.Count(messages, Counter.For(model)) + PromptTokens.Tools([Weather], Counter.For(model), Core.Context.TokenEncodings.For(model));

        AssertWithinTarget(counted, billed);
    }

    private static void AssertWithinTarget(long counted, long billed)
    {
        var error = Math.Abs(counted - billed) / (double)billed;
        Assert.True(error <= Target, $"counted {counted}, OpenAI billed {billed}: {error:P1} off, over the {Target:P0} target");
    }
}
