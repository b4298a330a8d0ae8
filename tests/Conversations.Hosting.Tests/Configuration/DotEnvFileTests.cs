using Conversations.Hosting.Configuration;

namespace Conversations.Hosting.Tests.Configuration;

public sealed class DotEnvFileTests
{
    private static Dictionary<string, string?> Values(string text, Func<string, string?>? environment = null) =>
        DotEnvFile.Resolve(DotEnvFile.Parse(text).Entries, environment ?? (_ => null)).ToDictionary();

    [Fact]
    public void Plain_assignments_comments_blank_lines_and_export_are_read()
    {
        var values = Values("""
            # Upstream settings
            OPENAI_API_KEY=sk-test-123

            export OPENAI_BASE_URL=http://localhost:11434/v1
              INDENTED = spaced value
            EMPTY=
            """);

        Assert.Equal(
            new Dictionary<string, string?>
            {
                ["OPENAI_API_KEY"] = "sk-test-123",
                ["OPENAI_BASE_URL"] = "http://localhost:11434/v1",
                ["INDENTED"] = "spaced value",
                ["EMPTY"] = "",
            },
            values);
    }

    [Fact]
    public void A_comment_after_an_unquoted_value_needs_whitespace_before_the_hash()
    {
        var values = Values("""
            A=value # a comment
            B=value#not-a-comment
            C=  # only a comment
            D=#starts-with-hash
            E=trailing spaces   
            """);

        Assert.Equal("value", values["A"]);
        Assert.Equal("value#not-a-comment", values["B"]);
        Assert.Equal("", values["C"]);
        Assert.Equal("#starts-with-hash", values["D"]);
        Assert.Equal("trailing spaces", values["E"]);
    }

    [Fact]
    public void Single_quotes_are_literal_except_for_escaped_quotes_and_backslashes()
    {
        var values = Values("""
            A='keep # and ${HOME} and \n as written'
            B='it\'s'
            C='back\\slash'
            D='  padded  ' # comment
            """, name => name == "HOME" ? "/home/x" : null);

        Assert.Equal(@"keep # and /home/x and \n as written", values["A"]);
        Assert.Equal("it's", values["B"]);
        Assert.Equal(@"back\slash", values["C"]);
        Assert.Equal("  padded  ", values["D"]);
    }

    [Fact]
    public void Double_quotes_understand_escapes()
    {
        var values = Values("""
            A="line one\nline two"
            B="tab\there \"quoted\" back\\slash it\'s"
            C="unknown \x escape"
            D="# not a comment"
            """);

        Assert.Equal("line one\nline two", values["A"]);
        Assert.Equal("tab\there \"quoted\" back\\slash it's", values["B"]);
        Assert.Equal(@"unknown \x escape", values["C"]);
        Assert.Equal("# not a comment", values["D"]);
    }

    [Fact]
    public void Quoted_values_may_span_lines()
    {
        var parsed = DotEnvFile.Parse("A=1\nCERT=\"-----BEGIN-----\nabc\n-----END-----\"\nB=2\n");

        Assert.Equal<DotEnvEntry>(
            [new DotEnvEntry("A", "1", 1), new DotEnvEntry("CERT", "-----BEGIN-----\nabc\n-----END-----", 2), new DotEnvEntry("B", "2", 5)],
            parsed.Entries);
        Assert.Empty(parsed.InvalidLines);
    }

    [Fact]
    public void Windows_line_endings_and_a_byte_order_mark_are_fine()
    {
        var values = Values("\uFEFFA=1\r\nB=\"two\"\r\n# c\r\nC=three # x\r\n");

        Assert.Equal(new Dictionary<string, string?> { ["A"] = "1", ["B"] = "two", ["C"] = "three" }, values);
    }

    [Fact]
    public void Unreadable_lines_are_skipped_and_named_and_the_rest_still_loads()
    {
        var parsed = DotEnvFile.Parse("""
            GOOD=1
            this line is not an assignment
            A="closed" trailing
            =no-name
            ALSO_GOOD=2
            """);

        Assert.Equal<string>(["GOOD", "ALSO_GOOD"], parsed.Entries.Select(e => e.Key));
        Assert.Equal<int>([2, 3, 4], parsed.InvalidLines);
    }

    [Fact]
    public void An_unclosed_quote_spoils_only_its_own_line()
    {
        var parsed = DotEnvFile.Parse("A=\"never closed\nB=2\n");

        Assert.Equal<DotEnvEntry>([new DotEnvEntry("B", "2", 2)], parsed.Entries);
        Assert.Equal<int>([1], parsed.InvalidLines);
    }

    [Fact]
    public void A_bare_name_sets_nothing()
    {
        var parsed = DotEnvFile.Parse("JUST_A_NAME\nWITH_COMMENT # note\n");

        Assert.Equal<DotEnvEntry>([new DotEnvEntry("JUST_A_NAME", null, 1), new DotEnvEntry("WITH_COMMENT", null, 2)], parsed.Entries);
    }

    [Fact]
    public void Quoted_names_are_allowed()
    {
        Assert.Equal("v", Values("'my key'=v")["my key"]);
    }

    [Fact]
    public void Variables_expand_from_the_environment_first_then_earlier_lines_then_defaults()
    {
        var values = Values("""
            HOST=file-host
            PORT=8080
            URL=http://${HOST}:${PORT}/v1
            FALLBACK=${MISSING:-default value}
            UNKNOWN=[${MISSING}]
            QUOTED="${PORT}"
            """, name => name == "HOST" ? "env-host" : null);

        Assert.Equal("http://env-host:8080/v1", values["URL"]);
        Assert.Equal("default value", values["FALLBACK"]);
        Assert.Equal("[]", values["UNKNOWN"]);
        Assert.Equal("8080", values["QUOTED"]);
    }

    [Fact]
    public void A_repeated_name_keeps_its_last_value()
    {
        Assert.Equal("second", Values("A=first\nA=second")["A"]);
    }

    [Fact]
    public void Text_that_only_looks_like_a_variable_is_kept()
    {
        Assert.Equal("$HOME and ${unclosed and ${a:b}", Values("A=$HOME and ${unclosed and ${a:b}")["A"]);
    }

    [Fact]
    public void An_empty_or_comment_only_file_has_nothing()
    {
        Assert.Empty(DotEnvFile.Parse("").Entries);
        Assert.Empty(DotEnvFile.Parse("\n\n# nothing here\n   \n").Entries);
        Assert.Empty(DotEnvFile.Parse("# nothing here").InvalidLines);
    }

    [Fact]
    public void Loading_sets_new_variables_and_leaves_existing_ones_alone()
    {
        var suffix = Guid.NewGuid().ToString("N");
        var fresh = $"CONVERSATIONS_TEST_FRESH_{suffix}";
        var existing = $"CONVERSATIONS_TEST_EXISTING_{suffix}";
        var derived = $"CONVERSATIONS_TEST_DERIVED_{suffix}";
        var path = Path.Combine(Path.GetTempPath(), $"dotenv-{suffix}.env");
        File.WriteAllText(path, $"{fresh}=from-file\n{existing}=from-file\n{derived}=${{{existing}}}-suffix\nbroken line\n");
        Environment.SetEnvironmentVariable(existing, "from-environment");
        try
        {
            var result = DotEnvFile.LoadIntoEnvironment(path);

            Assert.True(result.FileFound);
            Assert.Equal<string>([fresh, derived], result.Set);
            Assert.Equal<string>([existing], result.AlreadySet);
            Assert.Equal<int>([4], result.InvalidLines);
            Assert.Equal("from-file", Environment.GetEnvironmentVariable(fresh));
            Assert.Equal("from-environment", Environment.GetEnvironmentVariable(existing));
            Assert.Equal("from-environment-suffix", Environment.GetEnvironmentVariable(derived));
        }
        finally
        {
            Environment.SetEnvironmentVariable(fresh, null);
            Environment.SetEnvironmentVariable(existing, null);
            Environment.SetEnvironmentVariable(derived, null);
            File.Delete(path);
        }
    }

    [Fact]
    public void A_missing_file_is_not_an_error()
    {
        var result = DotEnvFile.LoadIntoEnvironment(Path.Combine(Path.GetTempPath(), $"absent-{Guid.NewGuid():N}.env"));

        Assert.Equal(DotEnvLoadResult.NoFile, result);
        Assert.False(result.FileFound);
    }
}
