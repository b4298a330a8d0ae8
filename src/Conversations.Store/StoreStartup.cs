using Microsoft.Extensions.Hosting;

namespace Conversations.Store;

/// <summary>
/// Migrates the schema in the host's "starting" phase, which completes for every hosted service before
/// any of them (the Orleans silo included) is started, whatever order they were registered in. A
/// database that cannot be reached therefore stops start-up instead of failing the first request.
/// </summary>
internal sealed class StoreStartup(IStoreDatabase database) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => database.InitializeAsync(cancellationToken);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
