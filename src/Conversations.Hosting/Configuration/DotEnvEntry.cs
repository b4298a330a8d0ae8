namespace Conversations.Hosting.Configuration;

/// <summary>One assignment in a <c>.env</c> file.</summary>
/// <param name="Value">Null for a bare name with no <c>=</c> (it sets nothing).</param>
/// <param name="Line">The 1-based line the assignment starts on.</param>
public sealed record DotEnvEntry(string Key, string? Value, int Line);
