using System.Collections.Immutable;
using Conversations.Core.Context;
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
/// <para>
/// It also keeps each message's token count, made the first time a turn needs it (for its model's encoding),
/// so fitting a turn into its model's window counts only the messages added since the last turn.
/// </para>
/// </summary>
internal sealed class UpstreamHistoryCache
{
    private const int BlockSize = 64 * 1024;
    private const int FirstBlockSize = 256;

    private readonly List<ReadOnlyMemory<byte>> _sealed = [];
    private readonly List<long> _sealedOffsets = [];
    private ImmutableArray<UpstreamMessage>.Builder _messages = ImmutableArray.CreateBuilder<UpstreamMessage>();
    private byte[] _block = [];
    private int _used;
    private long _sealedBytes;
    private int _covered;

    // Where each message's JSON starts, and the position of the first item that made it; grown into new
    // arrays, so a snapshot's view never changes.
    private long[] _starts = [];
    private long[] _itemStarts = [];

    // Each message's tokens in _encoding, for the first _counted messages; recounted into a new array when a
    // turn's model reads another encoding.
    private long[] _counts = [];
    private int _counted;
    private TokenEncoding _encoding;

    /// <summary>
    /// The history in upstream form, after taking in any items added since the last call: the messages
    /// of the first <c>Covered</c> items with their JSON. The items after those (at most a few, whose last
    /// message could still take in what follows: see <see cref="UpstreamItems.SettledItems"/>) are the
    /// caller's to make into messages with the turn's input.
    /// </summary>
    public KeptHistory Snapshot(ImmutableArray<Item> history)
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
                // Appending may seal the block, so the offset is read after it.
                var at = Append(run.Json[i].Span);
                Grow(ref _starts, _messages.Count);
                Grow(ref _itemStarts, _messages.Count);
                _starts[_messages.Count] = _sealedBytes + at;
                _itemStarts[_messages.Count] = _covered + run.ItemStarts[i];
                _messages.Add(run.Messages[i]);
            }

            _covered += run.SettledItems;
        }

        var json = ImmutableArray.CreateBuilder<ReadOnlyMemory<byte>>(_sealed.Count + 1);
        var offsets = ImmutableArray.CreateBuilder<long>(_sealed.Count + 1);
        json.AddRange(_sealed);
        offsets.AddRange(_sealedOffsets);
        if (_used > 0)
        {
            json.Add(_block.AsMemory(0, _used));
            offsets.Add(_sealedBytes);
        }

        return new KeptHistory(
            new UpstreamHistory(_messages.ToImmutable(), json.DrainToImmutable()),
            _covered,
            _starts.AsMemory(0, _messages.Count),
            offsets.DrainToImmutable())
        {
            ItemStarts = _itemStarts.AsMemory(0, _messages.Count),
        };
    }

    /// <summary>
    /// The token count of each message taken in so far (as the last snapshot holds them), in
    /// <paramref name="encoding"/>: only messages not counted before are counted now.
    /// </summary>
    public ReadOnlyMemory<long> Counts(TokenEncoding encoding, Func<string, long> countTokens)
    {
        if (encoding != _encoding)
        {
            (_counts, _counted, _encoding) = (new long[_messages.Count], 0, encoding);
        }

        for (; _counted < _messages.Count; _counted++)
        {
            Grow(ref _counts, _counted);
            _counts[_counted] = PromptTokens.Message(_messages[_counted], countTokens);
        }

        return _counts.AsMemory(0, _counted);
    }

    /// <summary>Makes room for index <paramref name="index"/>, copying into a larger array so views of the old one stay as they were.</summary>
    private static void Grow(ref long[] values, int index)
    {
        if (index >= values.Length)
        {
            var grown = new long[Math.Max(16, values.Length * 2)];
            values.AsSpan().CopyTo(grown);
            values = grown;
        }
    }


    /// <summary>Writes <paramref name="bytes"/> and returns where they start in the current block.</summary>
    private int Append(ReadOnlySpan<byte> bytes)
    {
        if (_used + bytes.Length > _block.Length)
        {
            if (_block.Length >= BlockSize || _used + bytes.Length > BlockSize)
            {
                // Seal what is written and start afresh; a message larger than a block gets a block of its own size.
                if (_used > 0)
                {
                    _sealed.Add(_block.AsMemory(0, _used));
                    _sealedOffsets.Add(_sealedBytes);
                    _sealedBytes += _used;
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
        return _used - bytes.Length;
    }
}
