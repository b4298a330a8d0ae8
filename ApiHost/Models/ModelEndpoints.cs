using Conversations.Abstractions.Upstream;
using Conversations.ApiHost.Access;
using Conversations.ApiHost.Documentation;
using Conversations.ApiHost.Errors;
using Conversations.Core.Errors;
using Conversations.Core.Wire;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Conversations.ApiHost.Models;

/// <summary><c>GET /v1/models</c> and <c>GET /v1/models/{id}</c>: the upstream's models plus the offline one when active.</summary>
public static class ModelEndpoints
{
    public static RouteGroupBuilder MapModels(this RouteGroupBuilder v1)
    {
        // The list comes from the upstream, so its failures (429, 5xx) are this route's too.
        var models = v1.MapGroup("/models")
            .WithTags("Models")
            .RequireAuthorization(ApiKeyAuthentication.UserPolicy)
            .ProducesErrors(401, 403, 429, 500, 502, 503, 504);
        models.MapGet("", List)
            .WithName("ListModels")
            .WithSummary("List the models");
        models.MapGet("/{*id}", Get)
            .WithName("GetModel")
            .WithSummary("Get a model")
            .ProducesErrors(404);
        return v1;
    }

    private static async Task<Results<Ok<ModelListObject>, ErrorResult>> List(IChatUpstream upstream, CancellationToken cancellationToken)
    {
        var models = await upstream.ListModelsAsync(cancellationToken);
        return models.Match<Results<Ok<ModelListObject>, ErrorResult>>(
            found => TypedResults.Ok(WireObjects.Models(found)),
            error => Problems.Of(ApiErrors.From(error)));
    }

    /// <summary>
    /// Model ids may contain slashes (<c>meta-llama/Llama-3-8B</c> on vLLM), hence the catch-all route. SDKs
    /// send such an id as one path segment, <c>meta-llama%2FLlama-3-8B</c>, and ASP.NET Core leaves an
    /// encoded slash encoded, so it is decoded here.
    /// </summary>
    private static async Task<Results<Ok<ModelObject>, ErrorResult>> Get(string id, IChatUpstream upstream, CancellationToken cancellationToken)
    {
        id = id.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
        var models = await upstream.ListModelsAsync(cancellationToken);
        if (models.TryPickT1(out var error, out var found))
        {
            return Problems.Of(ApiErrors.From(error));
        }

        return found.FirstOrDefault(m => m.Id == id) is { } model
            ? TypedResults.Ok(WireObjects.Model(model))
            : Problems.Of(new ApiError(404, ApiErrors.InvalidRequest, "model_not_found", $"The model '{id}' does not exist.", "model"));
    }
}
