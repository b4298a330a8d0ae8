using Conversations.ApiHost.Documentation;
using Conversations.ApiHost.Errors;
using Conversations.Core.Errors;
using Conversations.Core.Requests;

namespace Conversations.ApiHost.Http;

/// <summary>
/// The format check of an id in the route (<c>conv_…</c>, <c>user_…</c>, <c>key_…</c>), as one endpoint
/// filter on the route group that takes it: a malformed id is answered 400 <c>invalid_id</c> before the
/// handler runs, so a junk id never activates a grain and no handler checks it again.
/// </summary>
public static class WellFormedId
{
    /// <param name="routeParameter">The id's name in the route template, e.g. <c>id</c> for <c>/{id}</c>.</param>
    /// <param name="prefix">The prefix of ids of this kind, e.g. <see cref="Ids.ConversationPrefix"/>.</param>
    /// <param name="param">What the error calls it (OpenAI's <c>param</c>), e.g. <c>conversation_id</c>.</param>
    public static TBuilder RequireWellFormedId<TBuilder>(this TBuilder builder, string routeParameter, string prefix, string param)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.AddEndpointFilter((context, next) =>
        {
            var id = context.HttpContext.Request.RouteValues[routeParameter] as string ?? "";
            return Ids.IsWellFormed(id, prefix)
                ? next(context)
                : ValueTask.FromResult<object?>(Problems.Of(ApiErrors.MalformedId(param, id)));
        });
        return builder.ProducesErrors(StatusCodes.Status400BadRequest);
    }
}
