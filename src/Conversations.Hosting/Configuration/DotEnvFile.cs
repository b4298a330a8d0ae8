using System.Collections.Immutable;
using System.Text;

namespace Conversations.Hosting.Configuration;

/// <summary>
/// Reads <c>.env</c> files the way python-dotenv's <c>load_dotenv()</c> does, so one file serves this service and
/// the Python tools beside it: <c>KEY=VALUE</c> lines, an optional <c>export</c> prefix, <c>#</c> comments (whole-line,
/// or after whitespace following an unquoted value), single quotes taken literally (but <c>\'</c> and <c>\\</c>),
/// double quotes with escapes (<c>\n \t \r \" \\</c> …), quoted values spanning lines, <c>${NAME}</c> and
/// <c>${NAME:-default}</c> expansion, and variables already in the environment left as they are.
/// </summary>
public static class DotEnvFile
{
    public const string FileName = ".env";

    /// <summary>Reads a <c>.env</c> text into its assignments, without expanding variables. Unreadable lines are skipped and named.</summary>
    public static DotEnvParseResult Parse(string text)
    {
        var reader = new Cursor(text.StartsWith('\uFEFF') ? text[1..] : text);
        var entries = ImmutableArray.CreateBuilder<DotEnvEntry>();
        var invalid = ImmutableArray.CreateBuilder<int>();
        while (true)
        {
            reader.SkipWhitespaceAndNewlines();
            if (reader.AtEnd)
            {
                break;
            }

            var line = reader.Line;
            try
            {
                if (ReadAssignment(ref reader) is { } entry)
                {
                    entries.Add(entry with { Line = line });
                }
            }
            catch (FormatException)
            {
                // Like python-dotenv: skip what is left of the line where reading failed, and go on.
                reader.SkipRestOfLine();
                invalid.Add(line);
            }
        }

        return new DotEnvParseResult(entries.ToImmutable(), invalid.ToImmutable());
    }

    /// <summary>
    /// Expands <c>${NAME}</c> and <c>${NAME:-default}</c> in each value, in file order. A name is looked up in the
    /// environment first, then among the file's earlier assignments; an unknown name without a default is empty.
    /// A key assigned twice keeps its last value.
    /// </summary>
    public static ImmutableArray<KeyValuePair<string, string?>> Resolve(IEnumerable<DotEnvEntry> entries, Func<string, string?> environment)
    {
        var resolved = new Dictionary<string, string?>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var entry in entries)
        {
            var value = entry.Value is null ? null : Expand(entry.Value, name => environment(name) ?? (resolved.TryGetValue(name, out var earlier) ? earlier ?? "" : null));
            if (!resolved.ContainsKey(entry.Key))
            {
                order.Add(entry.Key);
            }

            resolved[entry.Key] = value;
        }

        return [.. order.Select(key => KeyValuePair.Create(key, resolved[key]))];
    }

    /// <summary>
    /// Loads <paramref name="path"/> into the process environment, setting only variables the environment does not
    /// already have. A missing file is not an error.
    /// </summary>
    public static DotEnvLoadResult LoadIntoEnvironment(string path)
    {
        if (!File.Exists(path))
        {
            return DotEnvLoadResult.NoFile;
        }

        var parsed = Parse(File.ReadAllText(path, Encoding.UTF8));
        var set = ImmutableArray.CreateBuilder<string>();
        var kept = ImmutableArray.CreateBuilder<string>();
        foreach (var (key, value) in Resolve(parsed.Entries, Environment.GetEnvironmentVariable))
        {
            if (value is null)
            {
                continue;
            }

            if (Environment.GetEnvironmentVariable(key) is not null)
            {
                kept.Add(key);
                continue;
            }

            Environment.SetEnvironmentVariable(key, value);
            set.Add(key);
        }

        return new DotEnvLoadResult(true, set.ToImmutable(), kept.ToImmutable(), parsed.InvalidLines);
    }

    /// <summary>Loads <c>.env</c> from the working directory, as the service does at start.</summary>
    public static DotEnvLoadResult LoadFromWorkingDirectory() =>
        LoadIntoEnvironment(Path.Combine(Directory.GetCurrentDirectory(), FileName));

    private static DotEnvEntry? ReadAssignment(ref Cursor reader)
    {
        reader.SkipExport();
        if (reader.Peek == '#')
        {
            reader.SkipRestOfLine();
            return null;
        }

        var key = reader.Peek == '\'' ? reader.ReadQuotedKey() : reader.ReadBareKey();
        reader.SkipSpaces();
        string? value = null;
        if (reader.Peek == '=')
        {
            reader.Advance(1);
            var spaced = reader.SkipSpaces() > 0;
            value = reader.Peek switch
            {
                '\'' => Unescape(reader.ReadQuoted('\''), single: true),
                '"' => Unescape(reader.ReadQuoted('"'), single: false),
                null or '\n' or '\r' => "",
                _ => Unquoted(reader.ReadRestOfLine(), spaced),
            };
        }

        reader.SkipComment();
        reader.ReadEndOfLine();
        return new DotEnvEntry(key, value, 0);
    }

    /// <summary>An unquoted value ends where whitespace and then <c>#</c> begin a comment; trailing whitespace goes.</summary>
    private static string Unquoted(string text, bool afterSpaces)
    {
        if (afterSpaces && text.StartsWith('#'))
        {
            return "";
        }

        for (var i = 0; i < text.Length; i++)
        {
            if (!char.IsWhiteSpace(text[i]))
            {
                continue;
            }

            var run = i;
            while (run < text.Length && char.IsWhiteSpace(text[run]))
            {
                run++;
            }

            if (run < text.Length && text[run] == '#')
            {
                text = text[..i];
                break;
            }

            i = run - 1;
        }

        return text.TrimEnd();
    }

    private static string Unescape(string text, bool single)
    {
        var result = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 1 < text.Length && Escaped(text[i + 1], single) is { } escaped)
            {
                result.Append(escaped);
                i++;
            }
            else
            {
                result.Append(text[i]);
            }
        }

        return result.ToString();
    }

    private static char? Escaped(char next, bool single) => (next, single) switch
    {
        ('\\', _) => '\\',
        ('\'', _) => '\'',
        ('"', false) => '"',
        ('a', false) => '\a',
        ('b', false) => '\b',
        ('f', false) => '\f',
        ('n', false) => '\n',
        ('r', false) => '\r',
        ('t', false) => '\t',
        ('v', false) => '\v',
        _ => null,
    };

    private static string Expand(string value, Func<string, string?> lookup)
    {
        var result = new StringBuilder(value.Length);
        var i = 0;
        while (i < value.Length)
        {
            var close = value.StartsWith("${", i) ? value.IndexOf('}', i + 2) : -1;
            if (close < 0)
            {
                result.Append(value[i]);
                i++;
                continue;
            }

            var inner = value[(i + 2)..close];
            var split = inner.IndexOf(":-", StringComparison.Ordinal);
            var name = split < 0 ? inner : inner[..split];
            if (name.Contains(':'))
            {
                // Not a reference python-dotenv recognises (a colon without "-"): kept as written.
                result.Append(value[i]);
                i++;
                continue;
            }

            result.Append(lookup(name) ?? (split < 0 ? "" : inner[(split + 2)..]));
            i = close + 1;
        }

        return result.ToString();
    }

    private static bool StartsWith(this string text, string prefix, int at) =>
        string.CompareOrdinal(text, at, prefix, 0, prefix.Length) == 0;

    /// <summary>A position in the text and the line it is on.</summary>
    private struct Cursor(string text)
    {
        public int Position { get; private set; }

        public int Line { get; private set; } = 1;

        public readonly bool AtEnd => Position >= text.Length;

        public readonly char? Peek => AtEnd ? null : text[Position];

        public void Reset(int position, int line)
        {
            Position = position;
            Line = line;
        }

        public void Advance(int count)
        {
            for (var i = 0; i < count; i++)
            {
                // "\r\n" is one line break; a lone "\r" or "\n" is one too.
                if (text[Position] == '\n' || (text[Position] == '\r' && (Position + 1 >= text.Length || text[Position + 1] != '\n')))
                {
                    Line++;
                }

                Position++;
            }
        }

        public void SkipWhitespaceAndNewlines()
        {
            while (!AtEnd && char.IsWhiteSpace(text[Position]))
            {
                Advance(1);
            }
        }

        /// <summary>Skips spaces and tabs (whitespace other than line breaks); returns how many.</summary>
        public int SkipSpaces()
        {
            var start = Position;
            while (!AtEnd && IsSpace(text[Position]))
            {
                Advance(1);
            }

            return Position - start;
        }

        public void SkipExport()
        {
            const string export = "export";
            if (text.StartsWith(export, Position) && Position + export.Length < text.Length && IsSpace(text[Position + export.Length]))
            {
                Advance(export.Length);
                SkipSpaces();
            }
        }

        public string ReadBareKey()
        {
            var start = Position;
            while (!AtEnd && text[Position] != '=' && text[Position] != '#' && !char.IsWhiteSpace(text[Position]))
            {
                Advance(1);
            }

            return Position > start ? text[start..Position] : throw new FormatException("A name was expected.");
        }

        public string ReadQuotedKey()
        {
            var close = text.IndexOf('\'', Position + 1);
            if (close <= Position + 1)
            {
                throw new FormatException("A quoted name is not closed or is empty.");
            }

            var key = text[(Position + 1)..close];
            Advance(close + 1 - Position);
            return key;
        }

        /// <summary>
        /// The raw text between a quote and its closing quote. A backslash-quote pair stays inside the value unless
        /// no unescaped quote follows, in which case the last such quote closes it.
        /// </summary>
        public string ReadQuoted(char quote)
        {
            var start = Position + 1;
            var lastEscapedQuote = -1;
            var at = start;
            while (at < text.Length)
            {
                if (text[at] == '\\' && at + 1 < text.Length && text[at + 1] == quote)
                {
                    lastEscapedQuote = at + 1;
                    at += 2;
                }
                else if (text[at] == quote)
                {
                    break;
                }
                else
                {
                    at++;
                }
            }

            if (at >= text.Length)
            {
                at = lastEscapedQuote >= 0 ? lastEscapedQuote : throw new FormatException("A quoted value is not closed.");
            }

            var raw = text[start..at];
            Advance(at + 1 - Position);
            return raw;
        }

        public string ReadRestOfLine()
        {
            var start = Position;
            while (!AtEnd && text[Position] != '\n' && text[Position] != '\r')
            {
                Advance(1);
            }

            return text[start..Position];
        }

        public void SkipComment()
        {
            var mark = Position;
            var line = Line;
            SkipSpaces();
            if (Peek == '#')
            {
                ReadRestOfLine();
            }
            else
            {
                Reset(mark, line);
            }
        }

        public void ReadEndOfLine()
        {
            SkipSpaces();
            if (AtEnd)
            {
                return;
            }

            if (text[Position] == '\r' && Position + 1 < text.Length && text[Position + 1] == '\n')
            {
                Advance(2);
            }
            else if (text[Position] is '\n' or '\r')
            {
                Advance(1);
            }
            else
            {
                throw new FormatException("Unexpected text after the value.");
            }
        }

        public void SkipRestOfLine()
        {
            ReadRestOfLine();
            if (!AtEnd && text[Position] == '\r' && Position + 1 < text.Length && text[Position + 1] == '\n')
            {
                Advance(2);
            }
            else if (!AtEnd)
            {
                Advance(1);
            }
        }

        private static bool IsSpace(char c) => c != '\n' && c != '\r' && char.IsWhiteSpace(c);
    }
}
