using Conversations.Core.Messages;
using Conversations.Core.Upstream;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.ML.Tokenizers;
using static Conversations.Upstream.Tests.UpstreamHarness;

namespace Conversations.Upstream.Tests;

public sealed class OfflineChatUpstreamTests : IDisposable
{
    // Counted independently of the service's counter, with the same encoding OpenAI uses for GPT-4o.
    private static readonly Tokenizer Gpt4o = TiktokenTokenizer.CreateForModel("gpt-4o");

    private readonly ServiceProvider _services = Build(new Dictionary<string, string?>());

    private OfflineChatUpstream Offline => _services.GetRequiredService<OfflineChatUpstream>();

    private static long Count(string text) => Gpt4o.CountTokens(text);

    public void Dispose() => _services.Dispose();

    [Fact]
    public async Task A_single_shot_reply_is_deterministic_and_honestly_counted()
    {
        var request = Ask("Say this is a test!", model: "offline");

        var completion = (await Offline.CompleteAsync(request, CancellationToken.None)).AsT0;

        Assert.Equal("This is a test!", completion.Content);
        Assert.Equal("offline", completion.Model);
        Assert.Equal("stop", completion.FinishReason);
        Assert.Matches("^chatcmpl-[A-Za-z0-9]{29}$", completion.Id);
        Assert.Equal(new TokenUsage(PromptTokens.Count(request.Messages, Count), Count("This is a test!")), completion.Usage);
        Assert.Equal(5, completion.Usage.CompletionTokens);
    }

    [Fact]
    public async Task Each_reply_gets_a_fresh_id_and_the_same_text()
    {
        var first = (await Offline.CompleteAsync(Ask("hello", "offline"), CancellationToken.None)).AsT0;
        var second = (await Offline.CompleteAsync(Ask("hello", "offline"), CancellationToken.None)).AsT0;

        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal(first.Content, second.Content);
        Assert.StartsWith("[offline model]", first.Content);
    }

    [Fact]
    public async Task A_stream_sends_the_reply_in_pieces_then_the_finish_then_the_usage()
    {
        var request = Ask("Say this is a test!", "offline", stream: true);

        var chunks = (await CollectAsync(Offline.StreamAsync(request, CancellationToken.None))).Select(item => item.AsT0).ToList();

        var content = chunks[..^2];
        Assert.True(content.Count >= 3, $"only {content.Count} content chunks");
        Assert.All(content, c => Assert.True(c.ContentDelta.Length > 0 && c.FinishReason == "" && c.Usage is null));
        Assert.Equal("This is a test!", string.Concat(content.Select(c => c.ContentDelta)));
        Assert.Equal(("", "stop", (TokenUsage?)null), (chunks[^2].ContentDelta, chunks[^2].FinishReason, chunks[^2].Usage));
        Assert.Equal(new TokenUsage(PromptTokens.Count(request.Messages, Count), Count("This is a test!")), chunks[^1].Usage);
        Assert.Single(chunks.Select(c => c.Id).Distinct());
        Assert.All(chunks, c => Assert.Equal("offline", c.Model));
    }

    [Fact]
    public async Task A_stream_folds_into_the_same_reply_as_a_single_shot()
    {
        var request = Ask("What does the offline model do with a longer question?", "offline");

        var completion = (await Offline.CompleteAsync(request, CancellationToken.None)).AsT0;
        var draft = FoldDraft((await CollectAsync(Offline.StreamAsync(request, CancellationToken.None))).Select(item => item.AsT0), model: "offline");

        Assert.Equal(completion.Content, TextOf(draft));
        Assert.Equal(completion.Usage, draft.Usage);
    }

    [Fact]
    public async Task Max_tokens_cuts_the_reply_with_finish_reason_length()
    {
        var request = Ask("Say one two three four five six seven eight nine ten", "offline") with { MaxTokens = 4 };

        var completion = (await Offline.CompleteAsync(request, CancellationToken.None)).AsT0;

        Assert.Equal("length", completion.FinishReason);
        Assert.True(completion.Usage.CompletionTokens <= 4);
        Assert.StartsWith("One two", completion.Content);
    }

    [Fact]
    public async Task The_model_list_has_the_offline_model()
    {
        var model = Assert.Single((await Offline.ListModelsAsync(CancellationToken.None)).AsT0);

        Assert.Equal(new ModelInfo("offline", OfflineChatUpstream.ModelCreated, "conversations"), model);
    }

    [Fact]
    public async Task A_cancelled_stream_throws()
    {
        using var cancellation = new CancellationTokenSource();
        var received = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in Offline.StreamAsync(Ask("Say a b c d e f", "offline", true), cancellation.Token))
            {
                received++;
                await cancellation.CancelAsync();
            }
        });

        Assert.Equal(1, received);
    }

    [Fact]
    public void The_token_counter_counts_like_gpt_4o()
    {
        var counter = _services.GetRequiredService<Abstractions.Upstream.ITokenCounter>();

        Assert.Equal(5, counter.Count("This is a test!"));
        Assert.Equal(0, counter.Count(""));
        Assert.Equal(Count("Unicode: 中文, emoji 😀, accents é."), counter.Count("Unicode: 中文, emoji 😀, accents é."));
        Assert.Same(counter, _services.GetRequiredService<Abstractions.Upstream.ITokenCounter>());
    }
}
