namespace Conversations.Bench.Load;

/// <summary>
/// Runs a direct measurement and a through-the-service one in alternating order, round after round,
/// so drift of a shared machine lands on both; figures are medians over rounds, and added latency is
/// the median of each round's difference.
/// </summary>
public static class SideBySide
{
    public static async Task<Comparison> RunAsync(int rounds, Func<Task<LoadResult>> direct, Func<Task<LoadResult>> service)
    {
        var directs = new List<LoadResult>();
        var services = new List<LoadResult>();
        for (var round = 0; round < rounds; round++)
        {
            if (round % 2 == 0)
            {
                directs.Add(await direct());
                services.Add(await service());
            }
            else
            {
                services.Add(await service());
                directs.Add(await direct());
            }
        }

        return new Comparison(directs, services);
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Where(v => !double.IsNaN(v)).Order().ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
