using System.Collections.Immutable;
using Conversations.Core.Upstream;

namespace Conversations.Grains.Conversations;

/// <summary>
/// A snapshot of a conversation's history in upstream form (see <see cref="UpstreamHistoryCache"/>): its
/// settled messages with their JSON, how many items made them, and where each message's JSON starts, so the
/// history can be sent from any message on when older ones are left out of a turn.
/// </summary>
/// <param name="Covered">How many of the history's items the messages were made from.</param>
/// <param name="Starts">Each message's offset in the history's JSON (at its leading comma, after the first).</param>
/// <param name="Blocks">The JSON blocks of <see cref="UpstreamHistory.Json"/>, each with its offset.</param>
internal sealed record KeptHistory(
    UpstreamHistory Prepared,
    int Covered,
    ReadOnlyMemory<long> Starts,
    ImmutableArray<long> BlockOffsets)
{
    /// <summary>For each message, the position in the history of the first item that made it.</summary>
    public ReadOnlyMemory<long> ItemStarts { get; init; }

    /// <summary>Nothing kept: a context read afresh for each turn (a chain's) is all in the turn's other messages.</summary>
    public static readonly KeptHistory None = new(UpstreamHistory.Empty, 0, ReadOnlyMemory<long>.Empty, []);

    /// <summary>The messages from <paramref name="message"/> on, as a request part (no leading comma).</summary>
    public UpstreamHistory From(int message)
    {
        if (message == 0 || message >= Prepared.Messages.Length)
        {
            return message == 0 ? Prepared : UpstreamHistory.Empty;
        }

        // Past the comma that leads every message but the first.
        var start = Starts.Span[message] + 1;
        var json = ImmutableArray.CreateBuilder<ReadOnlyMemory<byte>>(Prepared.Json.Length);
        for (var i = 0; i < Prepared.Json.Length; i++)
        {
            var block = Prepared.Json[i];
            var offset = BlockOffsets[i];
            if (offset + block.Length <= start)
            {
                continue;
            }

            json.Add(offset >= start ? block : block[(int)(start - offset)..]);
        }

        return new UpstreamHistory(Prepared.Messages[message..], json.DrainToImmutable());
    }
}
