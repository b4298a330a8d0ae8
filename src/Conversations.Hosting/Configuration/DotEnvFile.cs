using dotenv.net;

namespace Conversations.Hosting.Configuration;

/// <summary>
/// Settings from a <c>.env</c> file, as python-dotenv reads one: <c>KEY=VALUE</c> lines, an optional
/// <c>export</c>, quoted values, comments, <c>${VAR}</c> expansion; a variable already set in the
/// environment wins over the file. Read by dotenv.net.
/// </summary>
public static class DotEnvFile
{
    /// <summary>Puts the file's variables into this process's environment; a missing file is not an error.</summary>
    public static void LoadIntoEnvironment(string path)
    {
        if (!File.Exists(path))
        {
            return;
        }

        DotEnv.Load(Options(path));
    }

    /// <summary>The file's variables without touching the environment (for tests and diagnostics).</summary>
    public static IDictionary<string, string> Read(string path) => DotEnv.Read(Options(path));

    public static void LoadFromWorkingDirectory() => LoadIntoEnvironment(Path.Combine(Directory.GetCurrentDirectory(), ".env"));

    private static DotEnvOptions Options(string path) =>
        new(
            ignoreExceptions: false,
            envFilePaths: [path],
            trimValues: true,
            overwriteExistingVars: false,
            supportExportSyntax: true,
            supportInlineComments: true,
            supportVariableExpansion: true);
}
