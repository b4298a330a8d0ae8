using System.Collections.Concurrent;

namespace Conversations.ApiHost.Tests.Infrastructure;

/// <summary>Every log line a host wrote, formatted as a sink would see it (message, exception, scopes).</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => [.. _lines];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        private readonly AsyncLocal<ImmutableStack?> _scopes = new();

        public IDisposable BeginScope<TState>(TState state)
            where TState : notnull
        {
            var previous = _scopes.Value;
            _scopes.Value = new ImmutableStack(state.ToString() ?? "", previous);
            return new Scope(() => _scopes.Value = previous);
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var structured = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? string.Join(' ', pairs.Select(p => $"{p.Key}={p.Value}"))
                : "";
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {structured} {exception} {_scopes.Value}");
        }
    }

    private sealed record ImmutableStack(string Top, ImmutableStack? Rest)
    {
        public override string ToString() => Rest is null ? Top : $"{Top} => {Rest}";
    }

    private sealed class Scope(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }
}
