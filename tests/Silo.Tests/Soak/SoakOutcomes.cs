using System.Collections.Concurrent;

namespace Conversations.Silo.Tests.Soak;

/// <summary>
/// What the soak's load generator saw: every answer by action and status, the answers that break the rules
/// (a 5xx other than a 503 during the silo restart), and per user what its stateless calls used.
/// </summary>
public sealed class SoakOutcomes
{
    private readonly ConcurrentDictionary<(string Action, int Status), int> _answers = new();
    private readonly ConcurrentDictionary<(string Action, int Status), string> _firstErrors = new();
    private readonly ConcurrentQueue<string> _violations = new();
    private readonly ConcurrentDictionary<string, (long Requests, long Tokens)> _stateless = new();
    private long _restartStarted = long.MaxValue;
    private long _restartEnded = long.MaxValue;

    /// <summary>How long after the restarted silo is back 503s may still come (conversations finding their new silo).</summary>
    public static readonly TimeSpan RestartGrace = TimeSpan.FromSeconds(15);

    public IReadOnlyDictionary<(string Action, int Status), int> Answers => _answers;

    /// <summary>The error code of the first answer of each refused kind, so the report says why, not only how often.</summary>
    public IReadOnlyDictionary<(string Action, int Status), string> FirstErrors => _firstErrors;

    public IReadOnlyCollection<string> Violations => _violations;

    public IReadOnlyDictionary<string, (long Requests, long Tokens)> Stateless => _stateless;

    public void RestartStarted() => Interlocked.Exchange(ref _restartStarted, TimeProvider.System.GetTimestamp());

    public void RestartEnded() => Interlocked.Exchange(ref _restartEnded, TimeProvider.System.GetTimestamp());

    /// <summary>Counts an answer; a 5xx is a violation unless it is a 503 while the silo restarts (or just after).</summary>
    public void Answered(string action, int status, string body, long sentAt)
    {
        _answers.AddOrUpdate((action, status), 1, (_, n) => n + 1);
        if (status >= 400)
        {
            _firstErrors.TryAdd((action, status), ErrorCode(body));
        }
        if (status >= 500 && !(status == 503 && DuringRestart(sentAt)))
        {
            _violations.Enqueue($"{action} answered {status}: {(body.Length > 300 ? body[..300] : body)}");
        }

        if (body.Contains("   at ", StringComparison.Ordinal))
        {
            _violations.Enqueue($"{action} answered with a stack trace: {body[..Math.Min(300, body.Length)]}");
        }
    }

    public void Violation(string what) => _violations.Enqueue(what);

    public void StatelessUsed(string userId, long tokens) =>
        _stateless.AddOrUpdate(userId, (1, tokens), (_, used) => (used.Requests + 1, used.Tokens + tokens));

    private bool DuringRestart(long sentAt)
    {
        var started = Interlocked.Read(ref _restartStarted);
        var ended = Interlocked.Read(ref _restartEnded);
        var graceEnd = ended == long.MaxValue ? long.MaxValue : ended + (long)(RestartGrace.TotalSeconds * TimeProvider.System.TimestampFrequency);
        // A request sent just before the restart began may be answered by the stopping silo.
        var graceStart = started == long.MaxValue ? long.MaxValue : started - TimeProvider.System.TimestampFrequency;
        return sentAt >= graceStart && sentAt <= graceEnd;
    }

    private static string ErrorCode(string body)
    {
        try
        {
            using var json = System.Text.Json.JsonDocument.Parse(body);
            return json.RootElement.GetProperty("error").TryGetProperty("code", out var code) ? code.ToString() : "";
        }
        catch (Exception exception) when (exception is System.Text.Json.JsonException or InvalidOperationException or KeyNotFoundException)
        {
            return "(not an error envelope)";
        }
    }
}
