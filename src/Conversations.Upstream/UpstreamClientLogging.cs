using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Http.Logging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Conversations.Upstream;

/// <summary>
/// The upstream client's request logging (IHttpClientFactory's own two handlers, with their usual
/// categories, messages and header redaction), put in the handler chain only when it would write
/// something: when Information or lower is enabled for the client's categories at the time the chain is
/// built (chains are rebuilt every couple of minutes). Left in with nothing to write, the handlers still
/// format the request URI and open a scope on every call, which measurably slows the hot path.
/// </summary>
internal static class UpstreamClientLogging
{
    public static void AddWhenEnabled(IList<DelegatingHandler> handlers, IServiceProvider services, string clientName)
    {
        var loggers = services.GetRequiredService<ILoggerFactory>();
        var outer = loggers.CreateLogger($"System.Net.Http.HttpClient.{clientName}.LogicalHandler");
        var inner = loggers.CreateLogger($"System.Net.Http.HttpClient.{clientName}.ClientHandler");
        if (!outer.IsEnabled(LogLevel.Information) && !inner.IsEnabled(LogLevel.Information))
        {
            return;
        }

        var options = services.GetRequiredService<IOptionsMonitor<HttpClientFactoryOptions>>().Get(clientName);
        // Where the factory puts them: the scope around everything, the per-attempt lines next to the socket.
        handlers.Insert(0, new LoggingScopeHttpMessageHandler(outer, options));
        handlers.Add(new LoggingHttpMessageHandler(inner, options));
    }
}
