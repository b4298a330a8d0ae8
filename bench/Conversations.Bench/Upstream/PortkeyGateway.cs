using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using Conversations.Testing.Network;

namespace Conversations.Bench.Upstream;

/// <summary>
/// The Portkey AI Gateway, a real open-source peer: installed from the npm registry into a temporary
/// folder and run with Node on a free port, routed to the bench upstream as a custom OpenAI-compatible
/// host. Disposing it kills its process tree and deletes the folder; so does an interrupt (Ctrl+C,
/// SIGTERM, SIGHUP) while it lives, because an interrupt that ends the process runs no <c>finally</c>
/// block, and a gateway left listening or a folder of packages left in the temporary directory would
/// outlive the run.
/// </summary>
public sealed class PortkeyGateway : IAsyncDisposable
{
    public const string Package = "@portkey-ai/gateway";

    /// <summary>The version measured, pinned so that a later run measures the same gateway.</summary>
    public const string Version = "1.15.2";

    private const int OutputLines = 40;

    private readonly string _folder;
    private readonly PosixSignalRegistration[] _signals;
    private readonly Lock _lock = new();
    private readonly Queue<string> _output = new();
    private Process? _process;
    private bool _stopped;

    private PortkeyGateway(string folder)
    {
        _folder = folder;
        _signals = [.. new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP }.Select(signal => PosixSignalRegistration.Create(signal, _ => Stop()))];
    }

    /// <summary>The gateway's chat completions address on loopback.</summary>
    public Uri ChatUrl { get; private set; } = null!;

    /// <summary>How the gateway was started, for the report.</summary>
    public string CommandLine { get; private set; } = "";

    /// <summary>
    /// The headers that send a request through the gateway to <see cref="StartAsync"/>'s upstream: the
    /// OpenAI provider at a custom host. The caller's <c>Authorization</c> goes on to the upstream as it is.
    /// </summary>
    public IReadOnlyList<(string Name, string Value)> RoutingHeaders { get; private set; } = [];

    /// <summary>
    /// Whether it was stopped, by a signal if it is not yet disposed. The process may outlive the signal (the
    /// service's host in it cancels Ctrl+C's and SIGTERM's default, ending the process), so the caller
    /// checks this to stop measuring a gateway that is gone.
    /// </summary>
    public bool Stopped
    {
        get
        {
            lock (_lock)
            {
                return _stopped;
            }
        }
    }

    /// <summary>Whether <c>node</c> and <c>npm</c> are on the PATH.</summary>
    public static bool NodeFound() => OnPath("node") && OnPath("npm");

    /// <summary>What <c>node --version</c> prints.</summary>
    public static async Task<string> NodeVersionAsync()
    {
        using var node = Process.Start(new ProcessStartInfo("node", "--version") { RedirectStandardOutput = true, UseShellExecute = false })
            ?? throw new InvalidOperationException("node did not start.");
        var version = await node.StandardOutput.ReadToEndAsync();
        await node.WaitForExitAsync();
        return version.Trim();
    }

    /// <summary>Installs the pinned gateway into a new temporary folder and starts it; it answers when this returns.</summary>
    /// <param name="upstreamBaseUrl">The upstream's base address, <c>/v1</c> included (the gateway appends <c>/chat/completions</c>).</param>
    public static async Task<PortkeyGateway> StartAsync(string upstreamBaseUrl)
    {
        var folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "conversations-bench", "portkey-" + Guid.NewGuid().ToString("N"))).FullName;
        var gateway = new PortkeyGateway(folder)
        {
            RoutingHeaders = [("x-portkey-provider", "openai"), ("x-portkey-custom-host", upstreamBaseUrl)],
        };
        try
        {
            await gateway.InstallAsync();
            await gateway.LaunchAsync();
            return gateway;
        }
        catch
        {
            await gateway.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        foreach (var signal in _signals)
        {
            signal.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    private async Task InstallAsync()
    {
        // Without a package.json of its own, npm would look for one in the folders above and install there.
        await File.WriteAllTextAsync(Path.Combine(_folder, "package.json"), """{"name":"conversations-bench-peer","private":true}""");
        // --ignore-scripts: the gateway's only install script is patch-package, and it ships no patches; skipping
        // it keeps the install the same whichever npm runs it (npm 11 holds such scripts back unless allowed).
        var npm = Launch("npm", ["install", "--no-audit", "--no-fund", "--ignore-scripts", $"{Package}@{Version}"]);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        try
        {
            await npm.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"npm install did not finish within 10 minutes:{Environment.NewLine}{Output()}");
        }

        if (npm.ExitCode != 0)
        {
            throw new InvalidOperationException($"npm install exited with {npm.ExitCode}:{Environment.NewLine}{Output()}");
        }
    }

    private async Task LaunchAsync()
    {
        var entry = EntryPoint();
        // A free port can be taken by someone else before the gateway binds it; then it logs the error and
        // keeps running without listening, so the answer is checked to be the gateway's, and a new port tried.
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort.Next();
            // --headless: no demo console or log page (only their routes); requests take the same path.
            string[] arguments = [entry, $"--port={port}", "--headless"];
            // 127.0.0.1 is among the custom hosts the gateway trusts by default; naming it here keeps a
            // TRUSTED_CUSTOM_HOSTS from the caller's environment, which would replace that list, from refusing it.
            var node = Launch("node", arguments, ("TRUSTED_CUSTOM_HOSTS", "127.0.0.1"));
            CommandLine = "node " + string.Join(' ', arguments.Select(a => a.Replace(_folder + Path.DirectorySeparatorChar, "", StringComparison.Ordinal)));
            var address = new Uri($"http://127.0.0.1:{port}/");
            if (await AnswersAsync(node, address))
            {
                ChatUrl = new Uri(address, "v1/chat/completions");
                return;
            }

            Kill(node);
            if (attempt == 3)
            {
                throw new InvalidOperationException($"The Portkey gateway did not answer on three ports:{Environment.NewLine}{Output()}");
            }
        }
    }

    /// <summary>Polls the gateway's root until it answers as the gateway does, it exits, or 60 s pass.</summary>
    private async Task<bool> AnswersAsync(Process node, Uri address)
    {
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var started = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(60) && !node.HasExited && !Output().Contains("EADDRINUSE", StringComparison.Ordinal))
        {
            try
            {
                var answer = await probe.GetStringAsync(address);
                if (answer.Contains("AI Gateway", StringComparison.Ordinal))
                {
                    return true;
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
            }

            await Task.Delay(50);
        }

        return false;
    }

    /// <summary>The gateway's script, from the <c>bin</c> of its installed package.json (a path, or names to paths).</summary>
    private string EntryPoint()
    {
        var package = Path.Combine(_folder, "node_modules", Package);
        using var manifest = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(package, "package.json")));
        var bin = manifest.RootElement.GetProperty("bin");
        var script = bin.ValueKind == JsonValueKind.String ? bin.GetString() : bin.EnumerateObject().First().Value.GetString();
        return Path.GetFullPath(Path.Combine(package, script ?? throw new InvalidOperationException($"{Package}'s package.json names no bin.")));
    }

    private Process Launch(string file, IEnumerable<string> arguments, params (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = _folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        lock (_lock)
        {
            if (_stopped)
            {
                throw new OperationCanceledException("The Portkey gateway was stopped.");
            }

            var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start.");
            process.OutputDataReceived += (_, line) => Keep(line.Data);
            process.ErrorDataReceived += (_, line) => Keep(line.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            _process?.Dispose();
            _process = process;
            return process;
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Enqueue(line);
            if (_output.Count > OutputLines)
            {
                _output.Dequeue();
            }
        }
    }

    /// <summary>The last lines npm or the gateway wrote.</summary>
    private string Output()
    {
        lock (_output)
        {
            return string.Join(Environment.NewLine, _output);
        }
    }

    /// <summary>Kills what runs and deletes the folder; once, from disposal or from a signal, whichever comes first.</summary>
    private void Stop()
    {
        lock (_lock)
        {
            if (_stopped)
            {
                return;
            }

            _stopped = true;
            if (_process is { } process)
            {
                Kill(process);
                process.Dispose();
            }

            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"    could not delete {_folder}: {exception.Message}");
            }
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(TimeSpan.FromSeconds(10));
        }
        catch (InvalidOperationException)
        {
            // It had already exited.
        }
    }

    private static bool OnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(folder => File.Exists(Path.Combine(folder, name)));
}
