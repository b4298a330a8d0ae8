using Conversations.Core.Requests;

namespace Conversations.Core.Tests.Requests;

public class IdsTests
{
    [Theory]
    [InlineData("conv_0123456789abcdef0123456789abcdef")]
    [InlineData("msg_a")]
    [InlineData("user_42")]
    [InlineData("key_ff00")]
    [InlineData("abcdefgh_1")]
    public void Ids_the_service_hands_out_are_well_formed(string id)
    {
        Assert.True(Ids.IsWellFormed(id));
    }

    [Fact]
    public void Ids_made_from_random_bytes_are_well_formed_and_carry_their_prefix()
    {
        byte[] random = [0x00, 0x1f, 0xa0, 0xff, 0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0x80, 0x90, 0xa0, 0xb0, 0xc0];

        var id = Ids.Create(Ids.ConversationPrefix, random);

        Assert.Equal("conv_001fa0ff102030405060708090a0b0c0", id);
        Assert.True(Ids.IsWellFormed(id, Ids.ConversationPrefix));
        Assert.False(Ids.IsWellFormed(id, Ids.MessagePrefix));
    }

    [Fact]
    public void The_part_after_the_prefix_may_be_64_characters_but_not_65()
    {
        Assert.True(Ids.IsWellFormed("conv_" + new string('a', 64)));
        Assert.False(Ids.IsWellFormed("conv_" + new string('a', 65)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("_")]
    [InlineData("conv_")]
    [InlineData("_abc")]
    [InlineData("abc")]
    [InlineData("0123")]
    [InlineData("Conv_abc")]
    [InlineData("CONV_abc")]
    [InlineData("abcdefghi_1")]
    [InlineData("co-nv_abc")]
    [InlineData("conv1_abc")]
    [InlineData("conv_abc_def")]
    [InlineData("conv_abc-def")]
    [InlineData("conv_../x")]
    [InlineData("../conv_abc")]
    [InlineData("conv_abc/..")]
    [InlineData("conv_abc%2F")]
    [InlineData("conv_abc ")]
    [InlineData(" conv_abc")]
    [InlineData("conv_abc\n")]
    [InlineData("conv_abc\0")]
    [InlineData("conv_١٢٣")]
    [InlineData("conv_１２３")]
    [InlineData("conv_é")]
    [InlineData("conv_😀")]
    [InlineData("cönv_abc")]
    public void Junk_is_not_a_well_formed_id(string id)
    {
        Assert.False(Ids.IsWellFormed(id));
    }

    [Fact]
    public void An_id_with_another_prefix_is_not_one_of_ours_of_that_kind()
    {
        Assert.False(Ids.IsWellFormed("msg_abc", Ids.ConversationPrefix));
        Assert.False(Ids.IsWellFormed("convo_abc", Ids.ConversationPrefix));
        Assert.True(Ids.IsWellFormed("conv_abc", Ids.ConversationPrefix));
    }

    [Fact]
    public void A_prefix_match_still_needs_a_well_formed_rest()
    {
        Assert.False(Ids.IsWellFormed("conv_../x", Ids.ConversationPrefix));
    }
}
