using System.Collections.Concurrent;
using System.Diagnostics;
using Conversations.Testing.Network;

namespace Conversations.ApiHost.Tests.Infrastructure;

/// <summary>
/// The real ApiHost as its own process (<c>dotnet ApiHost.dll</c>), for what only a process shows:
/// being killed with SIGKILL, and what it prints to its console.
/// </summary>
public sealed class ApiHostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output;

    private ApiHostProcess(Process process, ConcurrentQueue<string> output, Uri address)
    {
        _process = process;
        _output = output;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>Everything the process wrote to stdout and stderr so far.</summary>
    public IReadOnlyList<string> Output => [.. _output];

    public static async Task<ApiHostProcess> StartAsync(IReadOnlyDictionary<string, string?> environment, string workingDirectory)
    {
        var port = FreePort.Next();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ApiHost.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        start.Environment["Orleans__Endpoints__SiloPort"] = FreePort.Next().ToString();
        start.Environment["Orleans__Endpoints__GatewayPort"] = FreePort.Next().ToString();
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        foreach (var (name, value) in environment)
        {
            start.Environment[name.Replace(":", "__")] = value;
        }

        var output = new ConcurrentQueue<string>();
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var host = new ApiHostProcess(process, output, new Uri($"http://127.0.0.1:{port}"));
        await host.WaitUntilServing(TimeSpan.FromSeconds(60));
        return host;
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
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
    }

    private async Task WaitUntilServing(TimeSpan deadline)
    {
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var until = DateTime.UtcNow + deadline;
        while (DateTime.UtcNow < until)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"ApiHost exited with {_process.ExitCode}:\n{string.Join('\n', Output)}");
            }

            try
            {
                // Any answer (401 without a key) means Kestrel is serving, which it does only after start-up.
                using var response = await probe.GetAsync(new Uri(Address, "/v1/models"));
                return;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"ApiHost did not start serving within {deadline}:\n{string.Join('\n', Output)}");
    }
}
