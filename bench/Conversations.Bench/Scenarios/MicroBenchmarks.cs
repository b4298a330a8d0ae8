using System.Diagnostics;
using System.Text.Json;
using Conversations.Bench.Report;

namespace Conversations.Bench.Scenarios;

/// <summary>
/// (f) Runs the BenchmarkDotNet suite (<c>bench/Conversations.Bench.Micro</c>, built with this project)
/// in a process of its own, and adds its medians and allocations to the report.
/// </summary>
public static class MicroBenchmarks
{
    public static async Task RunAsync(BenchOptions options, Results results)
    {
#if DEBUG
        const string configuration = "Debug";
#else
        const string configuration = "Release";
#endif
        var dll = Path.Combine(StartupTime.RepositoryRoot(), "bench", "Conversations.Bench.Micro", "bin", configuration, "net10.0", "Conversations.Bench.Micro.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"The micro-benchmarks were not built with this benchmark: {dll}");
        }

        var artifacts = Path.Combine(Path.GetTempPath(), "conversations-bench-micro-" + Guid.NewGuid().ToString("N")[..8]);
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])[dll, "--filter", "*", "--artifacts", artifacts, .. options.Quick ? ["--quick"] : Array.Empty<string>()])
        {
            start.ArgumentList.Add(argument);
        }

        Console.Error.WriteLine("  (f) micro-benchmarks (BenchmarkDotNet)");
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"The micro-benchmarks failed ({process.ExitCode}):\n{await output}\n{await errors}");
        }

        var table = results.NewTable("f", "Micro-benchmarks (BenchmarkDotNet, in-process toolchain): median time and allocations per call",
            "benchmark", "median (ns)", "allocated (bytes/call)");
        try
        {
            foreach (var report in Directory.EnumerateFiles(Path.Combine(artifacts, "results"), "*.json").Order())
            {
                using var json = JsonDocument.Parse(await File.ReadAllTextAsync(report));
                foreach (var benchmark in json.RootElement.GetProperty("Benchmarks").EnumerateArray())
                {
                    var name = benchmark.GetProperty("Type").GetString() + "." + benchmark.GetProperty("Method").GetString()
                        + (benchmark.GetProperty("Parameters").GetString() is { Length: > 0 } parameters ? $" ({parameters})" : "");
                    var median = benchmark.TryGetProperty("Statistics", out var statistics) && statistics.ValueKind == JsonValueKind.Object
                        ? statistics.GetProperty("Median").GetDouble()
                        : double.NaN;
                    var allocated = benchmark.TryGetProperty("Memory", out var memory) && memory.ValueKind == JsonValueKind.Object
                        ? memory.GetProperty("BytesAllocatedPerOperation").GetDouble()
                        : double.NaN;
                    table.Add(name, median, allocated);
                }
            }
        }
        finally
        {
            Directory.Delete(artifacts, recursive: true);
        }
    }
}
