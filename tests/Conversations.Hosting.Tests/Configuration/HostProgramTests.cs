using Conversations.Hosting.Configuration;
using Microsoft.Extensions.Options;

namespace Conversations.Hosting.Tests.Configuration;

/// <summary>
/// Which failures end a program with one line (bad settings, however they were found) and which keep
/// their stack trace (everything else).
/// </summary>
public sealed class HostProgramTests
{
    [Fact]
    public void Failed_options_validation_is_one_line_of_all_its_failures()
    {
        var failed = new OptionsValidationException("", typeof(object), ["A must be set.", "B must be\nshort."]);

        Assert.Equal("A must be set.; B must be short.", HostProgram.Describe(failed));
    }

    [Fact]
    public void Several_settings_failures_together_are_one_line()
    {
        var failed = new AggregateException(
            new OptionsValidationException("", typeof(object), ["A must be set."]),
            new InvalidSettingException("B is not a port."));

        Assert.Equal("A must be set.; B is not a port.", HostProgram.Describe(failed));
    }

    [Fact]
    public void Any_other_failure_is_not_a_settings_failure()
    {
        Assert.Null(HostProgram.Describe(new InvalidOperationException("bug")));
        Assert.Null(HostProgram.Describe(new AggregateException(new InvalidSettingException("B is not a port."), new InvalidOperationException("bug"))));
    }

}
