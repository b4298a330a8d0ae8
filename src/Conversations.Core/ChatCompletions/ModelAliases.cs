using System.Collections.Immutable;

namespace Conversations.Core.ChatCompletions;

/// <summary>An optional table of model names clients may use and the upstream model each stands for.</summary>
public sealed record ModelAliases(ImmutableDictionary<string, string> Targets)
{
    public static readonly ModelAliases None = new(ImmutableDictionary<string, string>.Empty);

    /// <summary>The upstream's name for <paramref name="model"/>: its alias target, or the name itself.</summary>
    public string Resolve(string model) => Targets.TryGetValue(model, out var target) ? target : model;
}
