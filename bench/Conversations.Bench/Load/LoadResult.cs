namespace Conversations.Bench.Load;

/// <summary>One measured run: latency percentiles (ms), completed requests per second, failures.</summary>
public sealed record LoadResult(double P50, double P99, double Mean, double RequestsPerSecond, int Count, int Errors)
{
    /// <summary>Bytes the whole process allocated per completed request during the run (load generator and upstream included).</summary>
    public double AllocatedPerRequest { get; init; } = double.NaN;

    public static LoadResult From(IReadOnlyList<double> latenciesMs, int completedInWindow, TimeSpan window, int errors)
    {
        var sorted = latenciesMs.Order().ToArray();
        return new LoadResult(
            Percentile(sorted, 0.50),
            Percentile(sorted, 0.99),
            sorted.Length == 0 ? double.NaN : sorted.Average(),
            completedInWindow / window.TotalSeconds,
            sorted.Length,
            errors);
    }

    /// <summary>Nearest-rank percentile of an ascending array; NaN when it is empty.</summary>
    public static double Percentile(double[] sorted, double fraction)
    {
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(fraction * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
