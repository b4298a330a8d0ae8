namespace Conversations.Abstractions.Serialization;

/// <summary>
/// Carries a two-case <c>OneOf</c> across grain calls. Orleans finds converters for open generic
/// types only, so this pair is generic too.
/// </summary>
[GenerateSerializer]
public struct OneOfSurrogate<T0, T1>
{
    [Id(0)] public int Index;
    [Id(1)] public T0? Value0;
    [Id(2)] public T1? Value1;
}
