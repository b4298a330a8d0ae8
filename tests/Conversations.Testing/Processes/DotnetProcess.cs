using System.Collections.Concurrent;
using System.Diagnostics;
using Conversations.Testing.Polling;

namespace Conversations.Testing.Processes;

/// <summary>
/// One of the product's programs (<c>ApiHost.dll</c>, <c>Silo.dll</c>) run as its own process from the test's
/// output directory, with its console captured, so tests can kill it (SIGKILL) or stop it (SIGTERM) as an
/// operator or a crash would.
/// </summary>
public sealed class DotnetProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly ConcurrentQueue<string> _errors = new();

    private DotnetProcess(Process process, string name)
    {
        _process = process;
        Name = name;
    }

    public string Name { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Everything the process wrote to stdout and stderr so far.</summary>
    public IReadOnlyList<string> Output => [.. _output];

    /// <summary>What the process wrote to stderr alone so far.</summary>
    public IReadOnlyList<string> ErrorOutput => [.. _errors];

    /// <summary>Starts <c>dotnet {assembly}</c> with the environment given (configuration keys may use <c>:</c>).</summary>
    public static DotnetProcess Start(string assembly, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment, string workingDirectory)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, assembly));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        foreach (var (name, value) in environment)
        {
            start.Environment[name.Replace(":", "__")] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var started = new DotnetProcess(process, Path.GetFileNameWithoutExtension(assembly));
        process.OutputDataReceived += (_, e) => started.Capture(e.Data);
        process.ErrorDataReceived += (_, e) => started.Capture(e.Data, error: true);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return started;
    }

    /// <summary>SIGKILL: no shutdown, no flushing — what a crash or <c>kill -9</c> does.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM: the graceful stop an orchestrator sends. Returns once the process has exited.</summary>
    public async Task TerminateAsync(TimeSpan deadline)
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString()]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(deadline);
        await _process.WaitForExitAsync(timeout.Token);
    }

    /// <summary>Waits for the process to end by itself, with all its output read; returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan deadline)
    {
        using var timeout = new CancellationTokenSource(deadline);
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    /// <summary>Waits until a line of output satisfies <paramref name="seen"/>; fails with the output if the process exits first.</summary>
    public async Task WaitForOutputAsync(Func<string, bool> seen, TimeSpan deadline)
    {
        if (await Eventually.Within(() => Task.FromResult(_output.Any(seen)), found => found || _process.HasExited, deadline))
        {
            return;
        }

        if (_process.HasExited)
        {
            // Let the rest of its output (an unhandled exception's report comes last) arrive first.
            await _process.WaitForExitAsync();
            throw new InvalidOperationException($"{Name} exited with {_process.ExitCode} before it was ready:\n{string.Join('\n', Output)}");
        }

        throw new TimeoutException($"{Name} was not ready within {deadline}:\n{string.Join('\n', Output.TakeLast(80))}");
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private void Capture(string? line, bool error = false)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
            if (error)
            {
                _errors.Enqueue(line);
            }
        }
    }
}
