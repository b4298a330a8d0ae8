using System.Diagnostics;
using Conversations.Bench.Load;
using Conversations.Bench.Report;
using Conversations.Testing.Network;

namespace Conversations.Bench.Scenarios;

/// <summary>
/// (e) Start-up: the real process (<c>dotnet ApiHost.dll</c> from this build's output), timed from
/// launch to its first answer on loopback (401 to a request without a key), on a new data directory
/// (first start: schema, secrets, keys) and again on the same one (a restart).
/// </summary>
public static class StartupTime
{
    public static async Task RunAsync(BenchOptions options, string upstreamBaseUrl, Results results)
    {
        var dll = ApiHostDll();
        var table = results.NewTable("e2", $"Start-up to first served request (ms), dotnet ApiHost.dll, median of {options.StartupRuns}",
            "start", "median", "min", "max");
        var fresh = new List<double>();
        var restart = new List<double>();
        for (var run = 0; run < options.StartupRuns; run++)
        {
            var data = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "conversations-bench", Guid.NewGuid().ToString("N"))).FullName;
            try
            {
                Console.Error.WriteLine($"  (e) start-up run {run + 1}");
                fresh.Add(await TimeOneStart(dll, data, upstreamBaseUrl));
                restart.Add(await TimeOneStart(dll, data, upstreamBaseUrl));
            }
            finally
            {
                Directory.Delete(data, recursive: true);
            }
        }

        table.Add("first start (new data directory)", SideBySide.Median(fresh), fresh.Min(), fresh.Max());
        table.Add("restart (existing data)", SideBySide.Median(restart), restart.Min(), restart.Max());
        var worst = Math.Max(SideBySide.Median(fresh), SideBySide.Median(restart));
        results.Check("start-up to first served request", "< 3 s", worst / 1000, "s", worst < 3000);
    }

    private static async Task<double> TimeOneStart(string dll, string data, string upstreamBaseUrl)
    {
        var port = FreePort.Next();
        var start = ApiHostProcess(dll, data, upstreamBaseUrl, port);

        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        var url = new Uri($"http://127.0.0.1:{port}/v1/models");
        var started = Stopwatch.GetTimestamp();
        using var process = Launch(start);
        try
        {
            while (Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(60))
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"ApiHost exited with {process.ExitCode} before serving.");
                }

                try
                {
                    using var response = await probe.GetAsync(url);
                    return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                }
                catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
                {
                    await Task.Delay(5);
                }
            }

            throw new TimeoutException("ApiHost did not serve within 60 s.");
        }
        finally
        {
            // SIGTERM, as a process manager stops it; then wait for it to go.
            if (!process.HasExited)
            {
                Terminate(process.Id);
                if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
                {
                    process.Kill(entireProcessTree: true);
                }
            }
        }
    }

    /// <summary><c>dotnet ApiHost.dll</c> on loopback <paramref name="port"/>, its data in <paramref name="data"/>, against the bench upstream.</summary>
    public static ProcessStartInfo ApiHostProcess(string dll, string data, string upstreamBaseUrl, int port)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = data,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        start.Environment["CONVERSATIONS_DATA_DIR"] = data;
        start.Environment["OPENAI_BASE_URL"] = upstreamBaseUrl;
        start.Environment["OPENAI_API_KEY"] = "sk-bench-upstream";
        start.Environment["Orleans__Endpoints__SiloPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["Orleans__Endpoints__GatewayPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
        return start;
    }

    /// <summary>Starts the process with its output read and dropped, so it never blocks on a full pipe.</summary>
    public static Process Launch(ProcessStartInfo start)
    {
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void Terminate(int pid)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", pid.ToString(System.Globalization.CultureInfo.InvariantCulture) }, UseShellExecute = false });
        kill?.WaitForExit();
    }

    /// <summary>ApiHost.dll as built with this benchmark (same configuration), found from the repository root.</summary>
    public static string ApiHostDll()
    {
#if DEBUG
        const string configuration = "Debug";
#else
        const string configuration = "Release";
#endif
        var dll = Path.Combine(RepositoryRoot(), "ApiHost", "bin", configuration, "net10.0", "ApiHost.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"Build the ApiHost in {configuration} first: {dll} is missing.");
    }

    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Conversations.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException("Conversations.sln was not found above " + AppContext.BaseDirectory);
    }
}
