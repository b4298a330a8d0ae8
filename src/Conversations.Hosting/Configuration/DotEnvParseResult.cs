using System.Collections.Immutable;

namespace Conversations.Hosting.Configuration;

/// <summary>What a <c>.env</c> text says: its assignments in order, and the lines that could not be read (they are skipped).</summary>
public sealed record DotEnvParseResult(ImmutableArray<DotEnvEntry> Entries, ImmutableArray<int> InvalidLines);
