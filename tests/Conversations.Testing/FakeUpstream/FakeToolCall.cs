namespace Conversations.Testing.FakeUpstream;

/// <summary>A tool call the fake model makes: its <c>call_…</c> id, the function's name, and the arguments as JSON text.</summary>
public sealed record FakeToolCall(string Id, string Name, string Arguments);
