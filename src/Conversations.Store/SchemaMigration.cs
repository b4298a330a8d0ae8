using System.Collections.Immutable;

namespace Conversations.Store;

/// <summary>
/// One step of a store's schema. Steps are applied in version order inside one transaction each
/// start-up that finds them missing, and recorded in <c>schema_version</c>; a step, once released, is
/// never edited — a change is a new step.
/// </summary>
internal sealed record SchemaMigration(int Version, string Description, ImmutableArray<string> Statements);
