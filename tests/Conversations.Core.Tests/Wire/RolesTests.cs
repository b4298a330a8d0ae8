using Conversations.Core.Messages;

namespace Conversations.Core.Tests.Wire;

public class RolesTests
{
    [Theory]
    [InlineData(MessageRole.System, "system")]
    [InlineData(MessageRole.Developer, "developer")]
    [InlineData(MessageRole.User, "user")]
    [InlineData(MessageRole.Assistant, "assistant")]
    public void Each_role_has_its_openai_wire_name_both_ways(MessageRole role, string name)
    {
        Assert.Equal(name, Roles.ToWire(role));
        Assert.Equal(role, Roles.FromWire(name));
    }

    [Theory]
    [InlineData("tool")]
    [InlineData("function")]
    [InlineData("User")]
    [InlineData("ASSISTANT")]
    [InlineData(" user")]
    [InlineData("")]
    public void Other_names_are_not_stored_roles(string name)
    {
        Assert.Null(Roles.FromWire(name));
    }

    [Fact]
    public void Every_role_has_a_wire_name()
    {
        foreach (var role in Enum.GetValues<MessageRole>())
        {
            Assert.Equal(role, Roles.FromWire(Roles.ToWire(role)));
        }
    }
}
