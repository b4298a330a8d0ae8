namespace Conversations.Testing.Fuzzing;

/// <summary>
/// One step of turning a valid body into a hostile one. <paramref name="Pick"/> chooses where (a node in
/// document order, a byte offset, an entry of a table), <paramref name="Name"/> and <paramref name="Value"/>
/// (JSON text) what; <paramref name="Amount"/> is a depth or a share of the body, depending on the kind.
/// </summary>
public sealed record BodyMutation(MutationKind Kind, int Pick, string Name, string Value, int Amount)
{
    public override string ToString() => Kind switch
    {
        MutationKind.Replace or MutationKind.Add or MutationKind.Duplicate => $"{Kind}@{Pick} {Name}={Short(Value)}",
        _ => $"{Kind}@{Pick} {Amount}",
    };

    private static string Short(string text) => text.Length <= 120 ? text : $"{text[..100]}…({text.Length} chars)";
}
