using Conversations.Core.Upstream;

namespace Conversations.Core.Tests.Upstream;

public sealed class RetryAfterTests
{
    private static readonly DateTimeOffset Now = new(2025, 10, 21, 7, 28, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("1500", "9", 1500)]
    [InlineData("250.5", null, 250.5)]
    [InlineData(null, "20", 20_000)]
    [InlineData(null, " 1.5 ", 1_500)]
    [InlineData("garbage", "3", 3_000)]
    [InlineData(null, "0", 0)]
    [InlineData("-100", null, 0)]
    [InlineData(null, "-5", 0)]
    public void Milliseconds_win_over_seconds_and_negative_waits_are_none(string? milliseconds, string? seconds, double expectedMilliseconds)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMilliseconds), RetryAfter.Parse(milliseconds, seconds, Now));
    }

    [Fact]
    public void An_http_date_is_taken_relative_to_now()
    {
        Assert.Equal(TimeSpan.FromSeconds(90), RetryAfter.Parse(null, "Tue, 21 Oct 2025 07:29:30 GMT", Now));
    }

    [Fact]
    public void The_obsolete_http_date_forms_are_accepted()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), RetryAfter.Parse(null, "Tuesday, 21-Oct-25 07:28:30 GMT", Now));
        Assert.Equal(TimeSpan.FromSeconds(30), RetryAfter.Parse(null, "Tue Oct 21 07:28:30 2025", Now));
    }

    [Fact]
    public void A_date_in_the_past_is_no_wait()
    {
        Assert.Equal(TimeSpan.Zero, RetryAfter.Parse(null, "Mon, 20 Oct 2025 07:28:00 GMT", Now));
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("", "")]
    [InlineData("soon", "later")]
    [InlineData("NaN", "Infinity")]
    [InlineData(null, "1e3")]
    [InlineData(null, "21 Oct 2025")]
    [InlineData(null, "0x10")]
    public void Unreadable_values_are_absent(string? milliseconds, string? seconds)
    {
        Assert.Null(RetryAfter.Parse(milliseconds, seconds, Now));
    }

    [Fact]
    public void An_absurdly_long_wait_does_not_overflow()
    {
        Assert.Equal(TimeSpan.MaxValue, RetryAfter.Parse(null, "99999999999999999999", Now));
    }
}
