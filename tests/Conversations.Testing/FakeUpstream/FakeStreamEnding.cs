namespace Conversations.Testing.FakeUpstream;

/// <summary>How a scripted stream ends after its events.</summary>
public enum FakeStreamEnding
{
    /// <summary><c>data: [DONE]</c>, then the response ends cleanly.</summary>
    Done,

    /// <summary>The response ends cleanly without <c>[DONE]</c>.</summary>
    Close,

    /// <summary>The connection is cut (after a short pause so the events reach the client first): the body ends mid-stream.</summary>
    Abort,

    /// <summary>Nothing more is sent and the response stays open until the client gives up.</summary>
    Hang,
}
