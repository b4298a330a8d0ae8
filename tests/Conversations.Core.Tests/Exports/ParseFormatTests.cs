using Conversations.Core.Exports;
using static Conversations.Core.Tests.Json.Parsed;

namespace Conversations.Core.Tests.Exports;

public class ParseFormatTests
{
    [Theory]
    [InlineData("markdown", ExportFormat.Markdown)]
    [InlineData("json", ExportFormat.Json)]
    [InlineData(null, ExportFormat.Json)]
    public void Markdown_or_json_and_json_when_left_out(string? format, ExportFormat expected)
    {
        Assert.Equal(expected, Accepted(ExportRequests.ParseFormat(format)));
    }

    [Theory]
    [InlineData("md")]
    [InlineData("Markdown")]
    [InlineData("JSON")]
    [InlineData("")]
    [InlineData("pdf")]
    public void Anything_else_is_refused_naming_the_format_and_its_choices(string format)
    {
        var error = RefusedWith(ExportRequests.ParseFormat(format), "format", "invalid_value");

        Assert.Contains("'markdown' or 'json'", error.Message);
    }
}
