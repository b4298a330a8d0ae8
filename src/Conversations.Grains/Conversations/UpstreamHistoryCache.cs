using System.Collections.Immutable;
using Conversations.Core.Items;
using Conversations.Core.Upstream;

namespace Conversations.Grains.Conversations;

/// <summary>
/// One conversation's history in upstream form, kept between turns and extended by the messages each
/// turn adds, so building a turn's request neither rebuilds nor re-serialises the whole history.
/// <para>
/// The JSON goes into blocks that double in size up to <see cref="BlockSize"/>, after which a block is
/// sealed and a new one begun. A snapshot names the blocks and how much of the last one it covers;
/// later appends write only past that point (or into a new array), so a snapshot never changes. History
/// is append-only, which is what makes this valid: messages are only ever added at the end.
/// </para>
/// </summary>
internal sealed class UpstreamHistoryCache
{
    private const int BlockSize = 64 * 1024;
    private const int FirstBlockSize = 256;

    private readonly List<ReadOnlyMemory<byte>> _sealed = [];
    private ImmutableArray<UpstreamMessage>.Builder _messages = ImmutableArray.CreateBuilder<UpstreamMessage>();
    private byte[] _block = [];
    private int _used;
    private int _covered;

    /// <summary>
    /// The history in upstream form, after taking in any items added since the last call: the messages
    /// of the first <c>Covered</c> items with their JSON. The items after those (at most a few, whose last
    /// message could still take in what follows: see <see cref="UpstreamItems.SettledItems"/>) are the
    /// caller's to make into messages with the turn's input.
    /// </summary>
    public (UpstreamHistory Prepared, int Covered) Snapshot(ImmutableArray<Item> history)
    {
        if (history.Length < _covered)
        {
            throw new InvalidOperationException("A conversation's history only grows; this cache no longer matches it.");
        }

        if (history.Length > _covered)
        {
            var run = ChatRequestBuilder.ForUpstream(history.AsSpan()[_covered..], leadingComma: _messages.Count > 0);
            for (var i = 0; i < run.SettledMessages; i++)
            {
                Append(run.Json[i].Span);
                _messages.Add(run.Messages[i]);
            }

            _covered += run.SettledItems;
        }

        var json = ImmutableArray.CreateBuilder<ReadOnlyMemory<byte>>(_sealed.Count + 1);
        json.AddRange(_sealed);
        if (_used > 0)
        {
            json.Add(_block.AsMemory(0, _used));
        }

        return (new UpstreamHistory(_messages.ToImmutable(), json.DrainToImmutable()), _covered);
    }


    private void Append(ReadOnlySpan<byte> bytes)
    {
        if (_used + bytes.Length > _block.Length)
        {
            if (_block.Length >= BlockSize || _used + bytes.Length > BlockSize)
            {
                // Seal what is written and start afresh; a message larger than a block gets a block of its own size.
                if (_used > 0)
                {
                    _sealed.Add(_block.AsMemory(0, _used));
                }

                _block = new byte[Math.Max(Math.Min(BlockSize, Math.Max(FirstBlockSize, _block.Length * 2)), bytes.Length)];
                _used = 0;
            }
            else
            {
                // Grow by copying into a new array: snapshots taken so far keep reading the old one.
                var grown = new byte[Math.Min(BlockSize, Math.Max(Math.Max(FirstBlockSize, _block.Length * 2), _used + bytes.Length))];
                _block.AsSpan(0, _used).CopyTo(grown);
                _block = grown;
            }
        }

        bytes.CopyTo(_block.AsSpan(_used));
        _used += bytes.Length;
    }
}
