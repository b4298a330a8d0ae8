using System.Collections.Immutable;

namespace Conversations.Hosting.Configuration;

/// <summary>
/// What loading a <c>.env</c> file did: the variables it set, the ones it left alone because the environment
/// already had them, and the lines it could not read. All empty when there was no file.
/// </summary>
public sealed record DotEnvLoadResult(
    bool FileFound,
    ImmutableArray<string> Set,
    ImmutableArray<string> AlreadySet,
    ImmutableArray<int> InvalidLines)
{
    public static readonly DotEnvLoadResult NoFile = new(false, [], [], []);
}
