namespace Conversations.Testing.Databases;

/// <summary>Finds the server programs the test fixtures start, failing loudly when they are not installed.</summary>
internal static class ServerBinaries
{
    public const string InstallHint =
        "Run the test command from the README, which installs the servers the tests start (PostgreSQL 15 and Redis).";

    /// <summary>The first of <paramref name="candidates"/> that exists, else <paramref name="name"/> on PATH.</summary>
    public static string Find(string name, params string[] candidates)
    {
        foreach (var candidate in candidates)
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(
            $"'{name}' was not found ({string.Join(", ", candidates.Append("PATH"))}). {InstallHint}");
    }
}
