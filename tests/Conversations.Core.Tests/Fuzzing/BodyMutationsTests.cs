using System.Text;
using System.Text.Unicode;
using Conversations.Testing.Fuzzing;

namespace Conversations.Core.Tests.Fuzzing;

/// <summary>The fuzz suites' body mutations do what they say, so a green run means what it claims.</summary>
public sealed class BodyMutationsTests
{
    private const string Example = """{"model":"offline","input":[{"role":"user","content":"Hi"}]}""";

    private static string Text(params BodyMutation[] steps) => Encoding.UTF8.GetString(BodyMutations.Apply(Example, steps));

    [Fact]
    public void Duplicate_sends_a_field_twice_with_the_second_value()
    {
        var text = Text(new BodyMutation(MutationKind.Duplicate, 0, "", "\"\\ud800\"", 0));

        Assert.Equal("""{"model":"offline","input":[{"role":"user","content":"Hi"}],"model":"\ud800"}""", text);
    }

    [Fact]
    public void Replace_and_add_put_values_and_names_in_as_written_lone_surrogates_included()
    {
        Assert.Equal("""{"model":1e309,"input":[{"role":"user","content":"Hi"}]}""", Text(new BodyMutation(MutationKind.Replace, 1, "", "1e309", 0)));
        Assert.Contains("\"\\udc00\":[[1]]", Text(new BodyMutation(MutationKind.Add, 0, "\udc00", "[[1]]", 0)));
    }

    [Fact]
    public void Remove_of_the_root_is_an_empty_body_and_nest_wraps_in_arrays()
    {
        Assert.Equal("", Text(new BodyMutation(MutationKind.Remove, 0, "", "", 0)));
        Assert.StartsWith(new string('[', 110) + "\"offline\"", Text(new BodyMutation(MutationKind.Nest, 1, "", "", 50)).Split(':')[1]);
    }

    [Fact]
    public void Invalid_utf8_is_not_utf8_and_truncate_cuts_the_body()
    {
        Assert.False(Utf8.IsValid(BodyMutations.Apply(Example, [new BodyMutation(MutationKind.InvalidUtf8, 3, "", "", 2)])));
        Assert.Equal(Example[..(Example.Length / 2)], Text(new BodyMutation(MutationKind.Truncate, 0, "", "", 50)));
    }

    [Fact]
    public void Placeholders_become_the_ids_given()
    {
        var body = BodyMutations.Apply(Example, [new BodyMutation(MutationKind.Add, 0, "conversation", FuzzIds.ForeignConversation, 0)], new Dictionary<string, string> { ["foreign_conversation"] = "conv_x" });

        Assert.Contains("\"conversation\":\"conv_x\"", Encoding.UTF8.GetString(body));
    }
}
