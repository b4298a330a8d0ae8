namespace Conversations.Testing.Fuzzing;

/// <summary>What one step of a <see cref="BodyMutation"/> does to a valid example body.</summary>
public enum MutationKind
{
    /// <summary>A value anywhere (the whole body included) becomes a hostile one.</summary>
    Replace,

    /// <summary>A field or array element goes missing (the whole body: an empty body).</summary>
    Remove,

    /// <summary>An object gains a field, known or not.</summary>
    Add,

    /// <summary>An object's field is sent twice, the second time with another value.</summary>
    Duplicate,

    /// <summary>A value is wrapped in many arrays.</summary>
    Nest,

    /// <summary>Raw bytes that are not UTF-8 text (or are a surrogate encoded as UTF-8) go inside a string.</summary>
    InvalidUtf8,

    /// <summary>The body is cut short.</summary>
    Truncate,

    /// <summary>The body is something that is not JSON at all.</summary>
    Garbage,
}
