using System.Diagnostics;
using Conversations.ApiHost.Streaming;
using Conversations.Core.Conversations;
using Conversations.Core.Errors;
using Conversations.Core.Messages;
using Conversations.Core.Responses;
using OneOf;

namespace Conversations.ApiHost.Metrics;

/// <summary>
/// One turn's metrics, recorded where the turn is served: its time to first token (streams only), then,
/// once, its duration, outcome and tokens. A turn counts once the model began answering; one refused before
/// (busy, over a limit, the upstream said no) is counted only among the requests, by its status, and its
/// model, which could be any name a client sent, labels nothing.
/// </summary>
public sealed class TurnMeter(string route, long startedAt)
{
    private string? _model;
    private int _firstToken;
    private int _ended;

    /// <summary>The request's meter; null when no exporter listens or the route runs no turn.</summary>
    public static TurnMeter? Of(HttpContext context) => context.Features.Get<TurnMeter>();

    /// <summary>The model began answering as <paramref name="model"/>.</summary>
    public void Started(string model) => _model = model;

    /// <summary>The first output (text, refusal or tool-call arguments) is on its way to the client; later calls are ignored.</summary>
    public void FirstToken(string model)
    {
        if (Interlocked.Exchange(ref _firstToken, 1) == 0)
        {
            ApiMetrics.TimeToFirstToken(route, Model(model), Stopwatch.GetElapsedTime(startedAt));
        }
    }

    /// <summary>The turn ended as <paramref name="status"/>; only the first end counts.</summary>
    public void Ended(string model, ResponseStatus status, TokenUsage? usage)
    {
        if (Interlocked.Exchange(ref _ended, 1) == 0)
        {
            ApiMetrics.Turn(route, Model(model), Outcome(status), Stopwatch.GetElapsedTime(startedAt), usage);
        }
    }

    /// <summary>A single-shot turn's answer: its response when it ran, else nothing to record.</summary>
    public void Answered(OneOf<ResponseRecord, ConversationError> answer)
    {
        if (answer.TryPickT0(out var response, out _))
        {
            Ended(response.Model, response.Status, response.Usage);
        }
    }

    /// <summary>A streamed turn's read, as its stream is sent.</summary>
    public void Read(GrainRead<TurnEvent> read)
    {
        switch (read)
        {
            case GrainRead<TurnEvent>.Event { Value: TurnEvent.Delta or TurnEvent.RefusalDelta or TurnEvent.ArgumentsDelta }:
                FirstToken(_model ?? "");
                break;
            case GrainRead<TurnEvent>.Event { Value: TurnEvent.Completed completed }:
                Ended(completed.Response.Model, completed.Response.Status, completed.Response.Usage);
                break;
            case GrainRead<TurnEvent>.Event { Value: TurnEvent.Failed failed }:
                Ended(failed.Response?.Model ?? _model ?? "", failed.Response?.Status ?? ResponseStatus.Failed, failed.Response?.Usage);
                break;
            case GrainRead<TurnEvent>.SiloLost:
                Ended(_model ?? "", ResponseStatus.Failed, null);
                break;
            case GrainRead<TurnEvent>.Drained:
                // The conversation keeps what arrived, as incomplete.
                Ended(_model ?? "", ResponseStatus.Incomplete, null);
                break;
        }
    }

    /// <summary>A streamed turn's reads stopped: one that began and did not end was cut short (the client left), and kept as incomplete.</summary>
    public void Left()
    {
        if (_model is { } model)
        {
            Ended(model, ResponseStatus.Incomplete, null);
        }
    }

    private static string Model(string model) => model.Length > 0 ? model : ApiMetrics.UnknownModel;

    private static string Outcome(ResponseStatus status) => status switch
    {
        ResponseStatus.Completed => "completed",
        ResponseStatus.Incomplete => "incomplete",
        _ => "failed",
    };
}
