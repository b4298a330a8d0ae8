using Conversations.Abstractions.Upstream;
using Conversations.ApiHost.Access;
using Conversations.ApiHost.Errors;
using Conversations.Core.Errors;
using Conversations.Core.Wire;

namespace Conversations.ApiHost.Models;

/// <summary><c>GET /v1/models</c> and <c>GET /v1/models/{id}</c>: the upstream's models plus the offline one when active.</summary>
public static class ModelEndpoints
{
    public static RouteGroupBuilder MapModels(this RouteGroupBuilder v1)
    {
        var models = v1.MapGroup("/models").RequireAuthorization(ApiKeyAuthentication.UserPolicy);
        models.MapGet("", List);
        models.MapGet("/{*id}", Get);
        return v1;
    }

    private static async Task<IResult> List(IChatUpstream upstream, CancellationToken cancellationToken)
    {
        var models = await upstream.ListModelsAsync(cancellationToken);
        return models.Match<IResult>(
            found => TypedResults.Json(WireObjects.Models(found), WireJson.Api.ModelListObject),
            error => Problems.Of(ApiErrors.From(error)));
    }

    /// <summary>
    /// Model ids may contain slashes (<c>meta-llama/Llama-3-8B</c> on vLLM), hence the catch-all route. SDKs
    /// send such an id as one path segment, <c>meta-llama%2FLlama-3-8B</c>, and ASP.NET Core leaves an
    /// encoded slash encoded, so it is decoded here.
    /// </summary>
    private static async Task<IResult> Get(string id, IChatUpstream upstream, CancellationToken cancellationToken)
    {
        id = id.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
        var models = await upstream.ListModelsAsync(cancellationToken);
        if (models.TryPickT1(out var error, out var found))
        {
            return Problems.Of(ApiErrors.From(error));
        }

        var model = found.FirstOrDefault(m => m.Id == id);
        return model is null
            ? Problems.Of(new ApiError(404, ApiErrors.InvalidRequest, "model_not_found", $"The model '{id}' does not exist.", "model"))
            : TypedResults.Json(WireObjects.Model(model), WireJson.Api.ModelObject);
    }
}
