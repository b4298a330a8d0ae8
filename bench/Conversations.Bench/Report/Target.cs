namespace Conversations.Bench.Report;

/// <summary>One of issue 7's targets, the figure measured for it, and whether it was met.</summary>
public sealed record Target(string Name, string Goal, string Measured, bool Met);
