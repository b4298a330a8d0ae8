using System.Collections.Concurrent;

namespace Conversations.ApiHost.Access;

/// <summary>
/// Grain references by key, made once and reused. Making one (<see cref="IGrainFactory.GetGrain{TGrainInterface}(string, string?)"/>)
/// allocates over a kilobyte and reads the interface's attributes by reflection, on every request that
/// names a user or a conversation; a reference is immutable and safe to share. The cache forgets
/// everything once it holds <see cref="Capacity"/> keys, which bounds it without bookkeeping.
/// </summary>
public sealed class GrainReferences<TGrain>(IGrainFactory grains)
    where TGrain : IGrainWithStringKey
{
    public const int Capacity = 100_000;

    private readonly ConcurrentDictionary<string, TGrain> _references = new(StringComparer.Ordinal);

    public TGrain For(string key)
    {
        if (_references.TryGetValue(key, out var reference))
        {
            return reference;
        }

        if (_references.Count >= Capacity)
        {
            _references.Clear();
        }

        return _references.GetOrAdd(key, static (key, grains) => grains.GetGrain<TGrain>(key), grains);
    }
}
