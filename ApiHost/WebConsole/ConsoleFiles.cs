namespace Conversations.ApiHost.WebConsole;

/// <summary>
/// The web console: <c>/</c> (its page) and <c>/console/…</c> (its scripts and styles), static files from
/// <c>wwwroot</c>, served without a key (the page asks for one and sends it only in the Authorization header of
/// its own calls). Only these paths are the console's, so no file can shadow an API route, the docs, health or
/// metrics, and only their answers carry the console's Content-Security-Policy: <c>/docs</c> boots with an
/// inline script, which this policy forbids.
/// </summary>
public static class ConsoleFiles
{
    public const string AssetsPath = "/console";

    /// <summary>
    /// Scripts and styles from this service only, and never inline, so a reply that slipped into the page as
    /// markup could run nothing; images (a message's thumbnails) from anywhere a message may point; calls to
    /// this service only; never framed.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https: http:; connect-src 'self'; "
        + "object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    public static WebApplication UseWebConsole(this WebApplication app)
    {
        app.UseWhen(context => IsConsole(context.Request.Path), console =>
        {
            console.Use((context, next) =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                // Revalidated on every load, so a new version of the console is never mixed with an old one.
                headers.CacheControl = "no-cache";
                return next(context);
            });
            console.UseDefaultFiles();
            console.UseStaticFiles();
        });
        return app;
    }

    private static bool IsConsole(PathString path) =>
        path == "/" || path == "/index.html" || path.StartsWithSegments(AssetsPath, StringComparison.Ordinal);
}
