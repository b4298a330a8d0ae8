using OneOf;

namespace Conversations.Abstractions.Serialization;

[RegisterConverter]
public sealed class OneOfConverter<T0, T1> : IConverter<OneOf<T0, T1>, OneOfSurrogate<T0, T1>>
{
    public OneOf<T0, T1> ConvertFromSurrogate(in OneOfSurrogate<T0, T1> surrogate) => surrogate.Index switch
    {
        0 => OneOf<T0, T1>.FromT0(surrogate.Value0!),
        1 => OneOf<T0, T1>.FromT1(surrogate.Value1!),
        _ => throw new InvalidOperationException($"OneOf<{typeof(T0).Name}, {typeof(T1).Name}> has no case {surrogate.Index}."),
    };

    public OneOfSurrogate<T0, T1> ConvertToSurrogate(in OneOf<T0, T1> value) => value.Index switch
    {
        0 => new() { Index = 0, Value0 = value.AsT0 },
        _ => new() { Index = 1, Value1 = value.AsT1 },
    };
}
