using Conversations.ApiHost.Access;

namespace Conversations.ApiHost.Tests.MultiUser;

/// <summary>Which addresses the failed-key throttle counts as one client.</summary>
public sealed class ClientAddressesTests
{
    [Theory]
    [InlineData("203.0.113.7", "203.0.113.7")]
    [InlineData("::ffff:203.0.113.7", "203.0.113.7")]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::")]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::")]
    [InlineData("::1", "::1")]
    public void An_address_is_counted_as_itself_or_as_its_IPv6_64_network(string address, string counted) =>
        Assert.Equal(IPAddress.Parse(counted), ClientAddresses.PartitionOf(IPAddress.Parse(address)));

    [Fact]
    public void Two_IPv6_addresses_of_one_64_network_are_one_client_and_another_network_is_another() =>
        Assert.NotEqual(
            ClientAddresses.PartitionOf(IPAddress.Parse("2001:db8:1:2::1")),
            ClientAddresses.PartitionOf(IPAddress.Parse("2001:db8:1:3::1")));
}
