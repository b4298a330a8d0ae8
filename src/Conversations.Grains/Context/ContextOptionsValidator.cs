using Microsoft.Extensions.Options;

namespace Conversations.Grains.Context;

/// <summary>Stops the process at start when a <c>Context__*</c> setting cannot be used, naming it.</summary>
public sealed class ContextOptionsValidator : IValidateOptions<ContextOptions>
{
    public ValidateOptionsResult Validate(string? name, ContextOptions options)
    {
        var problems = options.Problems();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
