using Scalar.AspNetCore;

namespace Conversations.ApiHost.Documentation;

/// <summary>
/// <c>/docs</c>: the OpenAPI document as interactive docs (Scalar), served without a key like the document
/// itself. The page's script comes with the package and is served from here, so the docs work offline; a
/// person pastes a key into the Bearer field to try the routes.
/// </summary>
public static class ApiDocs
{
    public const string Path = "/docs";

    public static WebApplication MapApiDocs(this WebApplication app)
    {
        app.MapScalarApiReference(Path, options => options
            .WithTitle("Conversations API")
            .WithOpenApiRoutePattern("/openapi/{documentName}.json")
            .AddPreferredSecuritySchemes(BearerSecurity.SchemeName));
        return app;
    }
}
