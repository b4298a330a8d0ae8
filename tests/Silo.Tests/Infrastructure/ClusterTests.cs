namespace Conversations.Silo.Tests.Infrastructure;

/// <summary>
/// Tests that start whole clusters of processes run one at a time: the machine has two cores, and
/// failover timing is what they measure.
/// </summary>
[CollectionDefinition(nameof(ClusterTests), DisableParallelization = true)]
public sealed class ClusterTests;
