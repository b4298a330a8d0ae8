using Conversations.Abstractions.Upstream;
using Conversations.Grains.Context;
using Conversations.Upstream;
using Microsoft.Extensions.DependencyInjection;

namespace Conversations.Grains.Tests.Harness;

/// <summary>
/// A cluster whose models have small context windows (<see cref="SmallModel"/>: <see cref="SmallWindow"/>
/// tokens, of which a quarter is kept for the answer), and whose token counter notes every text it counts.
/// </summary>
public sealed class ContextCluster : GrainCluster
{
    public const string SmallModel = "window-1000";
    public const long SmallWindow = 1000;

    /// <summary>The input budget on <see cref="SmallModel"/> when a turn sets no output cap: the window less a quarter.</summary>
    public const long SmallBudget = SmallWindow - (SmallWindow / 4);

    public NotingTokenCounter Counter { get; } = new(new TokenCounter());

    protected override void ConfigureServices(IServiceCollection services)
    {
        services.Configure<ContextOptions>(context => context.Windows[SmallModel] = SmallWindow);
        services.AddSingleton<ITokenCounter>(Counter);
    }
}
