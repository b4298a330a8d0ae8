using Microsoft.Extensions.Options;

namespace Conversations.ApiHost.Access;

/// <summary>Refuses configured keys too short to be safe, before anything starts.</summary>
public sealed class AccessOptionsValidator : IValidateOptions<AccessOptions>
{
    public ValidateOptionsResult Validate(string? name, AccessOptions options) =>
        options.Problems() is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
}
