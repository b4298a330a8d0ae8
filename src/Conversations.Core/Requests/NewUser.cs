using Conversations.Core.Users;

namespace Conversations.Core.Requests;

/// <summary>A validated <c>POST /v1/admin/users</c> body.</summary>
public sealed record NewUser(string Name, UserLimits Limits);
