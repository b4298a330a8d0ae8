using Conversations.Core.Requests;
using static Conversations.Core.Tests.Json.Parsed;

namespace Conversations.Core.Tests.Requests;

public class IncludeQueryTests
{
    [Fact]
    public void No_include_asks_for_nothing_extra()
    {
        Assert.Empty(Accepted(IncludeQuery.Parse([], [])));
    }

    [Fact]
    public void The_bracket_spelling_the_sdks_send_is_read()
    {
        var include = Accepted(IncludeQuery.Parse(["message.output_text.logprobs", "reasoning.encrypted_content"], []));

        Assert.Equal(["message.output_text.logprobs", "reasoning.encrypted_content"], include.ToArray());
    }

    [Fact]
    public void The_plain_spelling_is_read_too_and_repeats_count_once()
    {
        var include = Accepted(IncludeQuery.Parse(["message.input_image.image_url"], ["message.input_image.image_url", "file_search_call.results"]));

        Assert.Equal(["message.input_image.image_url", "file_search_call.results"], include.ToArray());
    }

    [Fact]
    public void Empty_values_are_skipped()
    {
        Assert.Empty(Accepted(IncludeQuery.Parse([""], [null, ""])));
    }

    [Fact]
    public void Every_value_openai_lists_is_accepted()
    {
        Assert.Equal(IncludeQuery.Values.ToArray(), Accepted(IncludeQuery.Parse(IncludeQuery.Values, [])).ToArray());
        Assert.Equal(8, IncludeQuery.Values.Length);
    }

    [Theory]
    [InlineData("usage")]
    [InlineData("Message.output_text.logprobs")]
    [InlineData("message.output_text.logprobs,reasoning.encrypted_content")]
    public void An_unknown_value_is_refused_naming_the_spelling_it_came_in(string value)
    {
        var error = RefusedWith(IncludeQuery.Parse(["reasoning.encrypted_content", value], []), "include[]", "invalid_value");
        RefusedWith(IncludeQuery.Parse([], [value]), "include", "invalid_value");

        Assert.Contains("message.output_text.logprobs", error.Message);
    }
}
