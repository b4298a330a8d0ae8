using System.ComponentModel.DataAnnotations;
using Conversations.Core.Requests;

namespace Conversations.ApiHost.Conversations;

/// <summary>The body of <c>POST /v1/conversations/{id}/items</c>, as the OpenAPI document shows it.</summary>
public sealed record AppendItemsBody
{
    [MinLength(1)]
    [MaxLength(RequestLimits.MaxSeedItems)]
    public required IReadOnlyList<ItemBody> Items { get; init; }
}
