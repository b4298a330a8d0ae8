using Scalar.AspNetCore;

namespace Conversations.ApiHost.Documentation;

/// <summary>
/// <c>/docs</c>: the OpenAPI document as interactive docs (Scalar), served without a key like the document
/// itself; a person pastes a key into the Bearer field to try the routes. The page asks nothing of anyone
/// but this service: its script is served from here, and Scalar's web fonts, telemetry, AI agent and
/// hosted developer tools are off, so the docs work offline and a pasted key goes nowhere else.
/// </summary>
public static class ApiDocs
{
    public const string Path = "/docs";

    public static WebApplication MapApiDocs(this WebApplication app)
    {
        app.MapScalarApiReference(Path, options =>
        {
            options.WithTitle("Conversations API")
                .WithOpenApiRoutePattern("/openapi/{documentName}.json")
                .AddPreferredSecuritySchemes(BearerSecurity.SchemeName);
            options.DefaultFonts = false;
            options.Telemetry = false;
            options.ShowDeveloperTools = DeveloperToolsVisibility.Never;
            options.Agent = new ScalarAgentOptions { Disabled = true };
            options.Mcp = new ScalarMcpOptions { Disabled = true };
        });
        return app;
    }
}
