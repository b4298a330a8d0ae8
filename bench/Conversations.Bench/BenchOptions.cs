namespace Conversations.Bench;

/// <summary>How much to measure: the full run the README reports, or a quick smoke run (under two minutes).</summary>
public sealed record BenchOptions(
    bool Quick,
    int Rounds,
    TimeSpan Warmup,
    TimeSpan Duration,
    int[] StatelessLevels,
    int[] StatefulLevels,
    int StreamLevel,
    int ConcurrentStreams,
    int[] HistorySizes,
    int Conversations,
    int StartupRuns,
    IReadOnlySet<string> Sections)
{
    /// <summary>Section g: only the calls whose name contains this (all when null).</summary>
    public string? CallFilter { get; init; }

    public int[] GrainCallLevels { get; init; } = [1, 64];

    /// <summary>Section k: the concurrencies at which the service and the peer gateway are measured.</summary>
    public int[] PeerLevels { get; init; } = [1, 32, 64];

    public static BenchOptions Parse(string[] args)
    {
        var quick = args.Contains("--quick");
        var only = Value(args, "--only")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        // Section g (what the parts of a request cost) explains the others; the quick run leaves it out to stay short.
        var sections = (only ?? (quick ? ["a", "b", "c", "d", "e", "f", "h", "i", "j", "k"] : ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"])).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var options = quick
            ? new BenchOptions(true, 2, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1), [1, 64], [1, 16], 1, 200, [10, 1000], 10_000, 1, sections) { PeerLevels = [1, 32] }
            : new BenchOptions(false, 5, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3), [1, 16, 64, 256], [1, 16, 64], 1, 2000, [10, 100, 1000, 10_000], 100_000, 5, sections);
        if (Value(args, "--rounds") is { } rounds)
        {
            options = options with { Rounds = int.Parse(rounds, System.Globalization.CultureInfo.InvariantCulture) };
        }

        if (Value(args, "--conversations") is { } conversations)
        {
            options = options with { Conversations = int.Parse(conversations, System.Globalization.CultureInfo.InvariantCulture) };
        }

        if (Value(args, "--streams") is { } streams)
        {
            options = options with { ConcurrentStreams = int.Parse(streams, System.Globalization.CultureInfo.InvariantCulture) };
        }

        if (Value(args, "--levels") is { } levels)
        {
            var parsed = levels.Split(',').Select(l => int.Parse(l, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            options = options with { StatelessLevels = parsed, StatefulLevels = parsed, PeerLevels = parsed };
        }

        if (Value(args, "--history") is { } history)
        {
            options = options with { HistorySizes = [.. history.Split(',').Select(h => int.Parse(h, System.Globalization.CultureInfo.InvariantCulture))] };
        }

        if (Value(args, "--calls") is { } calls)
        {
            options = options with { CallFilter = calls };
        }

        if (Value(args, "--call-levels") is { } callLevels)
        {
            options = options with { GrainCallLevels = [.. callLevels.Split(',').Select(l => int.Parse(l, System.Globalization.CultureInfo.InvariantCulture))] };
        }

        if (Value(args, "--duration") is { } duration)
        {
            options = options with { Duration = TimeSpan.FromSeconds(double.Parse(duration, System.Globalization.CultureInfo.InvariantCulture)) };
        }

        return options;
    }

    public bool Runs(string section) => Sections.Contains(section);

    private static string? Value(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }
}
