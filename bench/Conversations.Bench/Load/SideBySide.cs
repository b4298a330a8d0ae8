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

    /// <summary>
    /// Three sides (direct and two others) in turns, the order rotated each round so that each side runs first,
    /// second and third as often. Stops early, with the rounds run so far, once <paramref name="stopped"/> says so.
    /// </summary>
    public static async Task<(List<LoadResult> First, List<LoadResult> Second, List<LoadResult> Third)> RunThreeAsync(
        int rounds, Func<Task<LoadResult>> first, Func<Task<LoadResult>> second, Func<Task<LoadResult>> third, Func<bool>? stopped = null)
    {
        var sides = new[] { (Results: new List<LoadResult>(), Run: first), (Results: new List<LoadResult>(), Run: second), (Results: new List<LoadResult>(), Run: third) };
        for (var round = 0; round < rounds; round++)
        {
            for (var turn = 0; turn < sides.Length; turn++)
            {
                var side = sides[(round + turn) % sides.Length];
                side.Results.Add(await side.Run());
                if (stopped?.Invoke() == true)
                {
                    return (sides[0].Results, sides[1].Results, sides[2].Results);
                }
            }
        }

        return (sides[0].Results, sides[1].Results, sides[2].Results);
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
