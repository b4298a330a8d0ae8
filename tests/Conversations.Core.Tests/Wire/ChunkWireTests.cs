using System.Text.Json;
using Conversations.Core.Messages;
using Conversations.Core.Wire;
using static Conversations.Core.Tests.Wire.WireShape;

namespace Conversations.Core.Tests.Wire;

public class ChunkWireTests
{
    private const string Id = "chatcmpl-xyz";
    private const long Created = 1_741_944_413;
    private const string Model = "llama3.2";

    private static void HasChunkHeader(JsonElement chunk)
    {
        Assert.Equal(["id", "object", "created", "model", "choices", "usage"], Keys(chunk));
        Assert.Equal(Id, chunk.GetProperty("id").GetString());
        Assert.Equal("chat.completion.chunk", chunk.GetProperty("object").GetString());
        Assert.Equal(Created, chunk.GetProperty("created").GetInt64());
        Assert.Equal(Model, chunk.GetProperty("model").GetString());
    }

    private static JsonElement OnlyChoice(JsonElement chunk)
    {
        var choice = Assert.Single(chunk.GetProperty("choices").EnumerateArray());
        Assert.Equal(["index", "delta", "logprobs", "finish_reason"], Keys(choice));
        Assert.Equal(0, choice.GetProperty("index").GetInt32());
        IsNull(choice, "logprobs");
        return choice;
    }

    [Fact]
    public void The_first_chunk_announces_the_assistant_with_empty_content()
    {
        var chunk = Of(WireObjects.RoleChunk(Id, Created, Model));

        HasChunkHeader(chunk);
        IsNull(chunk, "usage");
        var choice = OnlyChoice(chunk);
        IsNull(choice, "finish_reason");
        var delta = choice.GetProperty("delta");
        Assert.Equal(["role", "content"], Keys(delta));
        Assert.Equal("assistant", delta.GetProperty("role").GetString());
        Assert.Equal("", delta.GetProperty("content").GetString());
    }

    [Theory]
    [InlineData("Hel")]
    [InlineData(" 😀\n")]
    [InlineData("")]
    public void A_content_chunk_carries_only_content_in_its_delta(string content)
    {
        var chunk = Of(WireObjects.ContentChunk(Id, Created, Model, content));

        HasChunkHeader(chunk);
        IsNull(chunk, "usage");
        var choice = OnlyChoice(chunk);
        IsNull(choice, "finish_reason");
        var delta = choice.GetProperty("delta");
        Assert.Equal(["content"], Keys(delta));
        Assert.Equal(content, delta.GetProperty("content").GetString());
    }

    [Theory]
    [InlineData("stop", "stop")]
    [InlineData("length", "length")]
    // No reason known means none is made up: a reply without one was cut short, not stopped.
    [InlineData("", null)]
    public void The_finish_chunk_has_an_empty_delta_and_a_finish_reason(string finishReason, string? expected)
    {
        var chunk = Of(WireObjects.FinishChunk(Id, Created, Model, finishReason));

        HasChunkHeader(chunk);
        IsNull(chunk, "usage");
        var choice = OnlyChoice(chunk);
        Assert.Empty(Keys(choice.GetProperty("delta")));
        Assert.Equal(JsonValueKind.Object, choice.GetProperty("delta").ValueKind);
        Assert.Equal(expected, choice.GetProperty("finish_reason").GetString());
    }

    [Fact]
    public void The_usage_chunk_has_no_choices_and_the_full_usage()
    {
        var chunk = Of(WireObjects.UsageChunk(Id, Created, Model, new TokenUsage(40, 2)));

        HasChunkHeader(chunk);
        Assert.Equal(0, chunk.GetProperty("choices").GetArrayLength());
        var usage = chunk.GetProperty("usage");
        Assert.Equal(["prompt_tokens", "completion_tokens", "total_tokens"], Keys(usage));
        Assert.Equal(42, usage.GetProperty("total_tokens").GetInt64());
    }

    [Fact]
    public void A_chunk_is_one_line_so_it_fits_one_sse_data_field()
    {
        var bytes = WireJson.Serialize(WireObjects.ContentChunk(Id, Created, Model, "line one\nline two\r\n"));

        Assert.DoesNotContain((byte)'\n', bytes);
        Assert.DoesNotContain((byte)'\r', bytes);
    }
}
