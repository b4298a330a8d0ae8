using Conversations.Abstractions.Grains;
using Conversations.Abstractions.Users;
using Conversations.ApiHost.Access;
using Conversations.ApiHost.Lifecycle;
using Microsoft.Extensions.Options;

namespace Conversations.ApiHost.Conversations;

/// <summary>What a turn needs from the host, injected as one bundle (<c>[AsParameters]</c>).</summary>
public sealed record TurnServices(
    GrainReferences<IConversationGrain> Conversations,
    GrainReferences<IUserGrain> Users,
    IOptions<ApiHostOptions> Options,
    ShutdownDrain Drain);
