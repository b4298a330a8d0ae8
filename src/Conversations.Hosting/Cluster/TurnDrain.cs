using Conversations.Grains.Conversations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Conversations.Hosting.Cluster;

/// <summary>
/// On SIGTERM, before anything stops (the lifecycle's "stopping" step comes before every service's
/// stop), lets this silo's running turns finish for <c>CONVERSATIONS_DRAIN_TIMEOUT</c>, then ends the
/// rest and gives them a moment to store their partial replies. Only then do the web server and the
/// silo stop.
/// </summary>
public sealed class TurnDrain(RunningTurns turns, IConfiguration configuration) : IHostedLifecycleService
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(10);

    public Task StoppingAsync(CancellationToken cancellationToken) =>
        turns.DrainAsync(Drain.Timeout(configuration), Settle, cancellationToken);

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
