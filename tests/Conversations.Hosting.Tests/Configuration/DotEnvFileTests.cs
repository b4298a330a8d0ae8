using Conversations.Hosting.Configuration;

namespace Conversations.Hosting.Tests.Configuration;

/// <summary>
/// The <c>.env</c> file a person puts beside the service: its usual forms are read, and it never
/// overrides what the environment already says.
/// </summary>
public sealed class DotEnvFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("conversations-dotenv-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Plain_assignments_comments_blank_lines_and_export_are_read()
    {
        var values = DotEnvFile.Read(Write("""
            # the provider
            OPENAI_API_KEY=sk-test-123

            export OPENAI_BASE_URL=http://localhost:11434/v1
            CONVERSATIONS_DATA_DIR = /var/lib/conversations
            """));

        Assert.Equal("sk-test-123", values["OPENAI_API_KEY"]);
        Assert.Equal("http://localhost:11434/v1", values["OPENAI_BASE_URL"]);
        Assert.Equal("/var/lib/conversations", values["CONVERSATIONS_DATA_DIR"]);
        Assert.Equal(3, values.Count);
    }

    [Fact]
    public void Quoted_values_keep_their_spaces_and_lose_their_quotes()
    {
        var values = DotEnvFile.Read(Write("""
            GREETING="hello there"
            LITERAL='a # not a comment'
            """));

        Assert.Equal("hello there", values["GREETING"]);
        Assert.Equal("a # not a comment", values["LITERAL"]);
    }

    [Fact]
    public void An_inline_comment_after_a_value_is_not_part_of_it()
    {
        Assert.Equal("600", DotEnvFile.Read(Write("Limits__RequestsPerMinute=600 # per user"))["Limits__RequestsPerMinute"]);
    }

    [Fact]
    public void Variables_expand_from_earlier_lines()
    {
        var values = DotEnvFile.Read(Write("""
            HOST=pg.internal
            ConnectionStrings__Postgres=Host=${HOST};Database=conversations
            """));

        Assert.Equal("Host=pg.internal;Database=conversations", values["ConnectionStrings__Postgres"]);
    }

    [Fact]
    public void Loading_sets_new_variables_and_leaves_existing_ones_alone()
    {
        var unique = $"CONVERSATIONS_TEST_{Guid.NewGuid():N}";
        Environment.SetEnvironmentVariable($"{unique}_SET", "from the environment");
        try
        {
            DotEnvFile.LoadIntoEnvironment(Write($"""
                {unique}_SET=from the file
                {unique}_NEW=from the file
                """));

            Assert.Equal("from the environment", Environment.GetEnvironmentVariable($"{unique}_SET"));
            Assert.Equal("from the file", Environment.GetEnvironmentVariable($"{unique}_NEW"));
        }
        finally
        {
            Environment.SetEnvironmentVariable($"{unique}_SET", null);
            Environment.SetEnvironmentVariable($"{unique}_NEW", null);
        }
    }

    [Fact]
    public void A_missing_file_is_not_an_error()
    {
        DotEnvFile.LoadIntoEnvironment(Path.Combine(_directory, "nothing-here.env"));
    }

    private string Write(string text)
    {
        var path = Path.Combine(_directory, $"{Guid.NewGuid():N}.env");
        File.WriteAllText(path, text);
        return path;
    }
}
