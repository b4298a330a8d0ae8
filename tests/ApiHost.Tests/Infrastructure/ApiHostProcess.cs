using Conversations.Testing.Network;
using Conversations.Testing.Processes;

namespace Conversations.ApiHost.Tests.Infrastructure;

/// <summary>
/// The real ApiHost as its own process (<c>dotnet ApiHost.dll</c>), for what only a process shows:
/// being killed with SIGKILL, stopped with SIGTERM, and what it prints to its console.
/// </summary>
public sealed class ApiHostProcess : IAsyncDisposable
{
    private readonly DotnetProcess _process;

    private ApiHostProcess(DotnetProcess process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>Everything the process wrote to stdout and stderr so far.</summary>
    public IReadOnlyList<string> Output => _process.Output;

    public bool HasExited => _process.HasExited;

    public static async Task<ApiHostProcess> StartAsync(IReadOnlyDictionary<string, string?> environment, string workingDirectory)
    {
        var port = FreePort.Next();
        var process = Launch(environment, workingDirectory, port);
        var host = new ApiHostProcess(process, new Uri($"http://127.0.0.1:{port}"));
        try
        {
            await host.WaitUntilServing(TimeSpan.FromSeconds(60));
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Starts the process on free ports without waiting for it to serve: for a start meant to fail, whose
    /// exit and output the caller reads from the process.
    /// </summary>
    public static DotnetProcess Launch(IReadOnlyDictionary<string, string?> environment, string workingDirectory, int? port = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Orleans:Endpoints:SiloPort"] = FreePort.Next().ToString(),
            ["Orleans:Endpoints:GatewayPort"] = FreePort.Next().ToString(),
        };
        foreach (var (name, value) in environment)
        {
            settings[name] = value;
        }

        return DotnetProcess.Start("ApiHost.dll", ["--urls", $"http://127.0.0.1:{port ?? FreePort.Next()}"], settings, workingDirectory);
    }

    public HttpClient Client(string? key = TestKeys.DefaultUser)
    {
        var client = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0 }) { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    /// <summary>SIGKILL: no shutdown hooks, no flushing — what a crash or <c>kill -9</c> does.</summary>
    public Task KillAsync() => _process.KillAsync();

    /// <summary>SIGTERM, then wait for the process to exit.</summary>
    public Task TerminateAsync(TimeSpan deadline) => _process.TerminateAsync(deadline);

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    private async Task WaitUntilServing(TimeSpan deadline)
    {
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        if (!await Eventually.Within(() => Serving(probe), serving => serving, deadline))
        {
            throw new TimeoutException($"ApiHost did not start serving within {deadline}:\n{string.Join('\n', Output.TakeLast(80))}");
        }
    }

    /// <summary>Any answer (401 without a key) means Kestrel is serving, which it does only after start-up.</summary>
    private async Task<bool> Serving(HttpClient probe)
    {
        if (_process.HasExited)
        {
            await _process.KillAsync();
            throw new InvalidOperationException($"ApiHost exited before serving:\n{string.Join('\n', Output)}");
        }

        try
        {
            using var response = await probe.GetAsync(new Uri(Address, "/v1/models"));
            return true;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }
}
