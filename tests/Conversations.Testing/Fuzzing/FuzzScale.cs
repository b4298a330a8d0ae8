using System.Globalization;

namespace Conversations.Testing.Fuzzing;

/// <summary>
/// How many cases a fuzz test runs: its bounded count, which keeps the suite within about a minute on two
/// busy cores, times <c>CONVERSATIONS_FUZZ_SCALE</c> (default 1) for a longer run.
/// </summary>
public static class FuzzScale
{
    public const string Setting = "CONVERSATIONS_FUZZ_SCALE";

    public static long Iterations(long bounded) =>
        double.TryParse(Environment.GetEnvironmentVariable(Setting), NumberStyles.Float, CultureInfo.InvariantCulture, out var scale) && scale > 0
            ? Math.Max(1, (long)(bounded * scale))
            : bounded;
}
