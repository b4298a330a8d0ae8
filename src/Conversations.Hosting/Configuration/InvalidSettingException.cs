namespace Conversations.Hosting.Configuration;

/// <summary>
/// A setting the process cannot start with. Its message is meant for the operator as it stands: it names
/// the setting and says what is wrong, on one line. It repeats the value only for settings that are never
/// secrets (ports, durations, switches).
/// </summary>
public sealed class InvalidSettingException(string message, Exception? inner = null) : Exception(message, inner);
