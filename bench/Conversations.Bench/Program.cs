using Conversations.Bench;
using Conversations.Bench.Report;
using Conversations.Bench.Scenarios;
using Conversations.Bench.Service;
using Conversations.Bench.Upstream;
using Conversations.Testing.Databases;

var options = BenchOptions.Parse(args);
// The report goes to the real standard output. The service under test logs to the console as shipped;
// that output is written (one write per line, as to a terminal or a pipe) to /dev/null.
var report = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = true };
Console.SetOut(new StreamWriter(new FileStream("/dev/null", FileMode.Open, FileAccess.Write)) { AutoFlush = true });

var results = new Results { Mode = options.Quick ? "quick" : "full" };
Console.Error.WriteLine($"Conversations benchmark ({results.Mode}): sections {string.Join(",", options.Sections.Order())}");
await using (var upstream = await BenchUpstream.StartAsync())
{
    if (options.Runs("a") || options.Runs("b") || options.Runs("c") || options.Runs("d") || options.Runs("g") || options.Runs("h") || options.Runs("j") || options.Runs("k"))
    {
        await using var service = await ServiceUnderTest.StartAsync(upstream.BaseUrl);
        if (options.Runs("a"))
        {
            await StatelessLatency.RunAsync(options, upstream, service, results);
        }

        if (options.Runs("k"))
        {
            await PeerGateway.RunAsync(options, upstream, service, results);
        }

        if (options.Runs("b"))
        {
            await StatefulLatency.RunAsync(options, upstream, service, "SQLite", results);
        }

        if (options.Runs("c"))
        {
            await Streaming.RunAsync(options, upstream, service, results);
        }

        if (options.Runs("d"))
        {
            await HistoryGrowth.RunAsync(options, upstream, service, results);
        }

        if (options.Runs("h"))
        {
            await ResponsesLatency.RunAsync(options, upstream, service, results);
        }

        if (options.Runs("j"))
        {
            await BackgroundResponses.RunAsync(options, upstream, service, results);
        }

        if (options.Runs("g"))
        {
            await GrainCallCost.RunAsync(options, service, upstream, results);
        }
    }

    if (options.Runs("b"))
    {
        // The same turns with SQLite relaxed to synchronous=Normal: what durable commits (Full, the default) cost.
        await using var relaxed = await ServiceUnderTest.StartAsync(upstream.BaseUrl, extra: new Dictionary<string, string?> { ["Store:SqliteSynchronous"] = "Normal" });
        await StatefulLatency.RunAsync(options, upstream, relaxed, "SQLite, synchronous=Normal", results);
    }

    if (options.Runs("b"))
    {
        Console.Error.WriteLine("  (b) starting a throwaway PostgreSQL");
        await using var postgres = await PostgresServer.StartAsync();
        var database = await postgres.CreateDatabaseAsync();
        await using var service = await ServiceUnderTest.StartAsync(upstream.BaseUrl, database);
        await StatefulLatency.RunAsync(options, upstream, service, "PostgreSQL", results);
    }

    if (options.Runs("p"))
    {
        await StatelessProfile.RunAsync(options, upstream, results);
    }

    if (options.Runs("i"))
    {
        await ContextFitting.RunAsync(options, upstream, results);
    }

    if (options.Runs("e"))
    {
        await Footprint.RunAsync(options, upstream.BaseUrl, results);
        await StartupTime.RunAsync(options, upstream.BaseUrl, results);
    }
}

if (options.Runs("f"))
{
    await MicroBenchmarks.RunAsync(options, results);
}

results.Print(report);
var written = results.WriteJson(Path.Combine(StartupTime.RepositoryRoot(), "bench", "results"));
report.WriteLine();
report.WriteLine($"Written to {written}");
