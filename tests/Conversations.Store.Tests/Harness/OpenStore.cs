using Conversations.Abstractions.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Conversations.Store.Tests.Harness;

/// <summary>
/// A store as a process sees it: registered through the DI extension and started by a real host, so
/// its schema migration runs the production way. Two of these on one database behave like two silos.
/// </summary>
public sealed class OpenStore : IAsyncDisposable
{
    private readonly IHost host;
    private bool disposed;

    private OpenStore(IHost host)
    {
        this.host = host;
        Conversations = host.Services.GetRequiredService<IConversationStore>();
        Users = host.Services.GetRequiredService<IUserStore>();
        Usage = host.Services.GetRequiredService<IUsageStore>();
        Idempotency = host.Services.GetRequiredService<IIdempotencyStore>();
        Responses = host.Services.GetRequiredService<IResponseStore>();
    }

    public IConversationStore Conversations { get; }

    public IUserStore Users { get; }

    public IUsageStore Usage { get; }

    public IIdempotencyStore Idempotency { get; }

    public IResponseStore Responses { get; }

    public static async Task<OpenStore> StartAsync(StoreBackend backend, string location)
    {
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        backend.AddStore(builder.Services, location);
        var host = builder.Build();
        try
        {
            await host.StartAsync();
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return new OpenStore(host);
    }

    public async ValueTask DisposeAsync()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        await host.StopAsync();
        if (host is IAsyncDisposable asyncDisposable)
        {
            await asyncDisposable.DisposeAsync();
        }
        else
        {
            host.Dispose();
        }
    }
}
