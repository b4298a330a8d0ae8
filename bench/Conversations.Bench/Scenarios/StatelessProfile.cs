using System.Diagnostics;
using System.Globalization;
using Conversations.Bench.Load;
using Conversations.Bench.Report;
using Conversations.Bench.Service;
using Conversations.Bench.Upstream;
using Conversations.Testing.Network;

namespace Conversations.Bench.Scenarios;

/// <summary>
/// (p) Where a stateless call's time goes: the real ApiHost as its own process (<c>dotnet ApiHost.dll</c>
/// from this build), so that a profile of it holds the service and nothing else, serving
/// <c>POST /v1/chat/completions</c> at <see cref="Concurrency"/> against the bench upstream, and traced for
/// <see cref="Traced"/> with <c>dotnet-trace</c> (a .NET tool: <c>dotnet tool install -g dotnet-trace</c>)
/// when it is installed. The trace, its <c>dotnet-trace report … topN --inclusive</c> and its speedscope
/// conversion are written beside the results; the table is the <see cref="ProfileBreakdown"/> of the
/// conversion. Only with <c>--only p</c>: it is a diagnosis, not a figure to compare.
/// </summary>
public static class StatelessProfile
{
    public const int Concurrency = 32;

    private static readonly TimeSpan Traced = TimeSpan.FromSeconds(10);

    public static async Task RunAsync(BenchOptions options, BenchUpstream upstream, Results results)
    {
        var table = results.NewTable("p", $"Where a stateless call's time goes: dotnet-trace of ApiHost.dll serving /v1/chat/completions at concurrency {Concurrency} (share of the samples where a thread was busy, by the innermost part of the service on its stack)",
            "part", "share of busy time");
        var trace = DotnetTrace();
        if (trace is null)
        {
            table.Notes.Add("skipped: dotnet-trace not found (dotnet tool install -g dotnet-trace)");
            return;
        }

        var data = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "conversations-bench", Guid.NewGuid().ToString("N"))).FullName;
        var port = FreePort.Next();
        var start = StartupTime.ApiHostProcess(StartupTime.ApiHostDll(), data, upstream.BaseUrl, port);
        start.Environment["CONVERSATIONS_ADMIN_KEY"] = ServiceUnderTest.AdminKey;
        start.Environment["CONVERSATIONS_API_KEY"] = ServiceUnderTest.UserKey;
        start.Environment["Limits__RequestsPerMinute"] = "2000000000";
        using var process = StartupTime.Launch(start);
        try
        {
            var chat = new Uri($"http://127.0.0.1:{port}/v1/chat/completions");
            using var client = BenchClient.Create();
            await WaitUntilServing(client, chat, process);
            var stamp = DateTime.UtcNow.ToString("yyyy-MM-dd-HHmmss", CultureInfo.InvariantCulture);
            var folder = Path.Combine(StartupTime.RepositoryRoot(), "bench", "results");
            Directory.CreateDirectory(folder);
            var file = Path.Combine(folder, $"profile-{stamp}.nettrace");
            Console.Error.WriteLine($"  (p) load at concurrency {Concurrency}, tracing ApiHost (pid {process.Id}) for {Traced.TotalSeconds} s");
            var load = ClosedLoop.RunAsync(Concurrency, TimeSpan.FromSeconds(3), Traced + TimeSpan.FromSeconds(6), _ => BenchClient.PostAsync(client, chat, Bodies.Chat, ServiceUnderTest.UserKey));
            await Task.Delay(TimeSpan.FromSeconds(4));
            var collect = $"collect -p {process.Id} --profile dotnet-sampled-thread-time --duration {Traced:hh\\:mm\\:ss} -o {file}";
            await Run(trace, collect);
            var served = await load;
            var report = await Run(trace, $"report {file} topN --inclusive -n 400");
            await File.WriteAllTextAsync(Path.ChangeExtension(file, ".txt"), $"dotnet-trace {collect}\ndotnet-trace report {file} topN --inclusive -n 400\n\n{report}");
            var speedscope = Path.ChangeExtension(file, ".speedscope.json");
            await Run(trace, $"convert {file} --format speedscope -o {Path.ChangeExtension(file, null)}");
            foreach (var (part, share) in ProfileBreakdown.Of(speedscope))
            {
                table.Add(part, $"{share:P1}");
            }

            table.Notes.Add($"{served.RequestsPerSecond:N0} calls/s answered while traced ({served.Errors} failed); trace and full report: bench/results/{Path.GetFileName(file)} and .txt");
            table.Notes.Add($"made by: dotnet-trace {collect.Replace(file, "<file>", StringComparison.Ordinal)}; dotnet-trace convert <file> --format speedscope; the shares from that (ProfileBreakdown)");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            Directory.Delete(data, recursive: true);
        }
    }

    private static async Task WaitUntilServing(HttpClient client, Uri chat, Process process)
    {
        var since = Stopwatch.StartNew();
        while (since.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"ApiHost exited with {process.ExitCode} before serving.");
            }

            try
            {
                if (await BenchClient.PostAsync(client, chat, Bodies.Chat, ServiceUnderTest.UserKey))
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("ApiHost did not serve within 60 s.");
    }

    private static string? DotnetTrace()
    {
        var home = Environment.GetEnvironmentVariable("HOME") ?? "";
        var candidates = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Append(Path.Combine(home, ".dotnet", "tools"))
            .Select(folder => Path.Combine(folder, "dotnet-trace"));
        return candidates.FirstOrDefault(File.Exists);
    }

    private static async Task<string> Run(string tool, string arguments)
    {
        var start = new ProcessStartInfo(tool, arguments) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (await output) + (await errors);
    }
}
