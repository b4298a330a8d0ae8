namespace Conversations.ApiHost.Access;

/// <summary>
/// How failed keys from one client address are throttled (configuration section <c>FailedKeys</c>). Past
/// <see cref="SlowAfter"/> failures in a window each further failure is answered only after <see cref="Delay"/>;
/// at <see cref="Limit"/> the address is refused with 429 until the window ends.
/// </summary>
public sealed class FailedKeyOptions
{
    public const string Section = "FailedKeys";

    /// <summary>Failed keys an address may send per <see cref="Window"/> before it is refused; 0 turns the throttle off.</summary>
    public int Limit { get; set; } = 20;

    /// <summary>The fixed window the failures are counted in; a refused address is served again when it ends.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Failures in a window answered at once; each one after these waits <see cref="Delay"/> first.</summary>
    public int SlowAfter { get; set; } = 10;

    /// <summary>How long a failure past <see cref="SlowAfter"/> waits before its 401 is sent.</summary>
    public TimeSpan Delay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>What is wrong with the settings, each naming its setting.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (Limit < 0)
        {
            problems.Add($"{Section}:Limit must be a whole number of failed keys, 0 or more (0 turns the throttle off); '{Limit}' is not.");
        }

        if (Window <= TimeSpan.Zero)
        {
            problems.Add($"{Section}:Window must be a duration above zero (hh:mm:ss) such as 00:01:00; '{Window}' is not.");
        }

        if (SlowAfter < 0)
        {
            problems.Add($"{Section}:SlowAfter must be a whole number of failed keys, 0 or more; '{SlowAfter}' is not.");
        }

        if (Delay < TimeSpan.Zero || Delay > TimeSpan.FromMinutes(1))
        {
            problems.Add($"{Section}:Delay must be a duration from 00:00:00 to 00:01:00; '{Delay}' is not.");
        }

        return problems;
    }
}
