namespace Conversations.Grains.Context;

/// <summary>How big models' context windows are, and what is kept for the answer (<c>Context__*</c>).</summary>
public sealed class ContextOptions
{
    /// <summary>
    /// Windows in tokens by model name prefix, the longest matching prefix winning
    /// (<c>Context__Windows__gpt-4o=128000</c>); they win over what the upstream reports and the built-in defaults.
    /// </summary>
    public Dictionary<string, long> Windows { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The window of a model that nothing else names; unset (the default) leaves it unknown, and then only the upstream's refusal says a context is too long.</summary>
    public long? DefaultWindow { get; set; }

    /// <summary>Tokens kept for the answer when a request sets no output cap (at most a quarter of the window).</summary>
    public int AnswerReserve { get; set; } = 4096;

    /// <summary>What is wrong with these settings, one line each, naming the setting.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        foreach (var (prefix, window) in Windows)
        {
            if (window <= 0)
            {
                problems.Add($"Context:Windows:{prefix} must be a positive number of tokens; '{window}' is not.");
            }
        }

        if (DefaultWindow is <= 0)
        {
            problems.Add($"Context:DefaultWindow must be a positive number of tokens; '{DefaultWindow}' is not.");
        }

        if (AnswerReserve < 0)
        {
            problems.Add($"Context:AnswerReserve must be 0 or more tokens; '{AnswerReserve}' is not.");
        }

        return problems;
    }
}
