namespace Conversations.Testing.FakeUpstream;

/// <summary>One server-sent event the fake writes, after waiting <paramref name="Delay"/>.</summary>
/// <param name="EventType">Null for a plain <c>data:</c> event; <c>"error"</c> for <c>event: error</c>.</param>
public sealed record FakeSseEvent(string Data, string? EventType = null, TimeSpan Delay = default);
