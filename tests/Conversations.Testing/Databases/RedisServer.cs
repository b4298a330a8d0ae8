using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Conversations.Testing.Network;
using Conversations.Testing.Polling;
using Xunit;

namespace Conversations.Testing.Databases;

/// <summary>
/// A real, throwaway <c>redis-server</c> on a free loopback port, with persistence off. Ready once it
/// answers PING; killed on dispose. Use as an xUnit fixture, or call <see cref="InitializeAsync"/>.
/// </summary>
public sealed class RedisServer : IAsyncLifetime, IAsyncDisposable
{
    private static readonly TimeSpan StartupDeadline = TimeSpan.FromSeconds(15);

    private readonly StringBuilder output = new();
    private Process? process;

    public int Port { get; private set; }

    /// <summary><c>127.0.0.1:port</c>, as StackExchange.Redis and Orleans' Redis clustering take it.</summary>
    public string Endpoint => $"127.0.0.1:{Port}";

    /// <summary>What the server printed so far, for diagnosing a failed start.</summary>
    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    public static async Task<RedisServer> StartAsync()
    {
        var server = new RedisServer();
        try
        {
            await server.InitializeAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public async Task InitializeAsync()
    {
        var binary = ServerBinaries.Find("redis-server", "/usr/bin/redis-server");
        for (var attempt = 1; ; attempt++)
        {
            Port = FreePort.Next();
            process = Start(binary, Port);
            var outcome = await WaitUntilReadyAsync(process);
            if (outcome is null)
            {
                return;
            }

            await StopAsync();
            // The free port can be taken between choosing and binding it; try another.
            if (attempt < 3 && Output.Contains("Address already in use", StringComparison.Ordinal))
            {
                continue;
            }

            throw new InvalidOperationException($"redis-server did not start: {outcome}\n{Output}");
        }
    }

    /// <summary>True when the server answers PING with PONG right now.</summary>
    public async Task<bool> PingAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", Port, cancellationToken);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), cancellationToken);
            var buffer = new byte[64];
            var read = 0;
            while (read < 7)
            {
                var n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken);
                if (n == 0)
                {
                    break;
                }

                read += n;
            }

            return Encoding.ASCII.GetString(buffer, 0, read) == "+PONG\r\n";
        }
        catch (SocketException)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }
    }

    public async Task DisposeAsync() => await StopAsync();

    async ValueTask IAsyncDisposable.DisposeAsync() => await StopAsync();

    private Process Start(string binary, int port)
    {
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var argument in new[]
                 {
                     "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--bind", "127.0.0.1",
                     "--save", "",
                     "--appendonly", "no",
                     "--daemonize", "no",
                 })
        {
            start.ArgumentList.Add(argument);
        }

        var started = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {binary}.");
        started.OutputDataReceived += (_, e) => Append(e.Data);
        started.ErrorDataReceived += (_, e) => Append(e.Data);
        started.BeginOutputReadLine();
        started.BeginErrorReadLine();
        return started;
    }

    /// <returns>Null when ready, else why not.</returns>
    private async Task<string?> WaitUntilReadyAsync(Process started)
    {
        // An exited server will never answer: stop asking.
        var ready = await Eventually.Within(async () => !started.HasExited && await PingAsync(), up => up || started.HasExited, StartupDeadline);
        return ready ? null
            : started.HasExited ? $"it exited with code {started.ExitCode}"
            : $"no PONG within {StartupDeadline.TotalSeconds} s";
    }

    private async Task StopAsync()
    {
        if (process is null)
        {
            return;
        }

        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync();
        process.Dispose();
        process = null;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }
}
