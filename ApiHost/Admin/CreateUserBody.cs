using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Conversations.Core.Requests;

namespace Conversations.ApiHost.Admin;

/// <summary>
/// The body of <c>POST /v1/admin/users</c> as the OpenAPI document shows it; it mirrors what
/// <see cref="AdminRequests.ParseCreateUser"/> accepts.
/// </summary>
public sealed record CreateUserBody
{
    [StringLength(AdminRequests.MaxNameLength, MinimumLength = 1)]
    public required string Name { get; init; }

    [Description("The user's own limits; a limit left out or null takes the service-wide default.")]
    public UserLimitsBody? Limits { get; init; }
}
