using Conversations.Abstractions.Upstream;
using Conversations.Abstractions.Users;
using Conversations.ApiHost.Access;
using Conversations.ApiHost.Lifecycle;
using Conversations.Upstream;
using Microsoft.Extensions.Options;

namespace Conversations.ApiHost.ChatCompletions;

/// <summary>What the stateless route needs from the host, injected as one bundle (<c>[AsParameters]</c>).</summary>
public sealed record StatelessServices(
    UpstreamRouter Router,
    UpstreamRelay Relay,
    IGrainFactory Grains,
    GrainReferences<IUserGrain> Users,
    ITokenCounter Tokens,
    IOptions<ApiHostOptions> Options,
    IOptions<UpstreamOptions> UpstreamOptions,
    TimeProvider Time,
    ShutdownDrain Drain);
