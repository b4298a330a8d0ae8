using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Conversations.Bench.Upstream;

/// <summary>
/// The cheapest relay .NET makes on this machine, for reference: Kestrel takes the request, one
/// shared HttpClient sends its body to the upstream, and the answer is copied back. No keys, limits,
/// retries or logging. What a gateway of any kind costs here is at least what this costs.
/// </summary>
public sealed class MinimalProxy : IAsyncDisposable
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private readonly WebApplication _app;
    private readonly HttpClient _client = new(new SocketsHttpHandler { UseCookies = false, PooledConnectionLifetime = Timeout.InfiniteTimeSpan });
    private readonly Uri _upstream;

    private MinimalProxy(WebApplication app, Uri upstream)
    {
        _app = app;
        _upstream = upstream;
    }

    public Uri ChatUrl { get; private set; } = null!;

    public static async Task<MinimalProxy> StartAsync(Uri upstreamChatUrl)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().UseUrls("http://127.0.0.1:0");
        builder.Services.AddRouting();
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var proxy = new MinimalProxy(app, upstreamChatUrl);
        app.Run(proxy.Relay);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        proxy.ChatUrl = new Uri(address.TrimEnd('/') + "/v1/chat/completions");
        return proxy;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _client.Dispose();
    }

    private async Task Relay(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        using var request = new HttpRequestMessage(HttpMethod.Post, _upstream) { Content = new ByteArrayContent(body.GetBuffer(), 0, (int)body.Length) };
        request.Content.Headers.ContentType = Json;
        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        context.Response.StatusCode = (int)response.StatusCode;
        context.Response.ContentType = response.Content.Headers.ContentType?.ToString();
        context.Response.ContentLength = response.Content.Headers.ContentLength;
        await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
    }
}
