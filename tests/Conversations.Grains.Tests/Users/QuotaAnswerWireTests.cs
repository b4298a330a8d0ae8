using Conversations.Core.Users;
using Conversations.Grains.Tests.Harness;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Conversations.Grains.Tests.Users;

/// <summary>
/// The user grain's answers cross from a silo to an API host in another process: each case arrives as
/// itself, with every field (the shared windows of an admission included).
/// </summary>
[Collection(UserCollection.Name)]
public sealed class QuotaAnswerWireTests(GrainCluster cluster)
{
    private static readonly RateWindow Requests = new(600, 0, TimeSpan.FromSeconds(12.5));
    private static readonly RateWindow Tokens = new(200_000, 1_234, TimeSpan.FromHours(3));

    public static TheoryData<Admission> Admissions =>
    [
        new Admission.Admitted(Requests, Tokens),
        new Admission.Admitted(RateWindow.Unlimited, RateWindow.Unlimited),
        new Admission.Refused("requests", TimeSpan.FromSeconds(12.5), Requests, Tokens),
        new Admission.Refused("tokens", TimeSpan.FromHours(3), RateWindow.Unlimited, Tokens),
    ];

    public static TheoryData<StreamLease> StreamLeases =>
    [
        new StreamLease.Granted("lease_1", 2),
        new StreamLease.Granted("lease_2", null),
        new StreamLease.Refused(2),
    ];

    private Serializer Serializer => cluster.SiloServices.GetRequiredService<Serializer>();

    [Theory]
    [MemberData(nameof(Admissions))]
    public void An_admission_arrives_as_sent(Admission admission) =>
        Assert.Equal(admission, Serializer.Deserialize<Admission>(Serializer.SerializeToArray(admission)));

    [Theory]
    [MemberData(nameof(StreamLeases))]
    public void A_stream_lease_arrives_as_sent(StreamLease lease) =>
        Assert.Equal(lease, Serializer.Deserialize<StreamLease>(Serializer.SerializeToArray(lease)));
}
