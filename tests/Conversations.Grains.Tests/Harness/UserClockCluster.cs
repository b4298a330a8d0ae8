using Conversations.Grains.Users;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Conversations.Grains.Tests.Harness;

/// <summary>
/// A cluster whose user grains count quotas on a clock the tests move. Only the user grains' clock is
/// fake: Orleans' own timers (and the usage flush) keep the real one.
/// </summary>
public sealed class UserClockCluster : GrainCluster
{
    /// <summary>Where the user grains' clock starts: a minute before midnight UTC.</summary>
    public static readonly DateTimeOffset Start = new(2031, 5, 20, 23, 59, 0, TimeSpan.Zero);

    public FakeTimeProvider Clock { get; } = new(Start);

    protected override void ConfigureServices(IServiceCollection services) =>
        services.AddKeyedSingleton<TimeProvider>(UserGrain.ClockKey, Clock);
}
