using Microsoft.Extensions.Options;

namespace Conversations.ApiHost.Access;

/// <summary>Refuses throttle settings the host cannot use, before anything starts.</summary>
public sealed class FailedKeyOptionsValidator : IValidateOptions<FailedKeyOptions>
{
    public ValidateOptionsResult Validate(string? name, FailedKeyOptions options) =>
        options.Problems() is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
}
