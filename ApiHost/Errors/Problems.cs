using Conversations.Core.Errors;
using Conversations.Core.Requests;

namespace Conversations.ApiHost.Errors;

/// <summary>Shorthands that turn failures into results.</summary>
public static class Problems
{
    public static ErrorResult Of(ApiError error) => new(error);

    public static ErrorResult Of(ValidationError error) => new(ApiErrors.From(error));

    public static ErrorResult Of(ConversationError error, string conversationId) => new(ApiErrors.From(error, conversationId));
}
