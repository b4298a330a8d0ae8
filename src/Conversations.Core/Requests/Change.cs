namespace Conversations.Core.Requests;

/// <summary>
/// One field of a partial update: either left as it is, or set to a value (where null clears an
/// optional setting). JSON tells these apart (<c>"temperature": null</c> vs. no <c>temperature</c> key),
/// so the validated request does too.
/// </summary>
[GenerateSerializer, Immutable]
public readonly record struct Change<T>(
    [property: Id(0)] bool IsSet,
    [property: Id(1)] T Value)
{
    public static Change<T> Keep => default;

    public static Change<T> To(T value) => new(true, value);

    public T ApplyTo(T current) => IsSet ? Value : current;
}
