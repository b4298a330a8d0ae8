using System.Threading.RateLimiting;
using Conversations.Abstractions.Users;

namespace Conversations.ApiHost.Limits;

/// <summary>The cluster's answer for one request, as a lease the rate limiting middleware understands.</summary>
public sealed class AdmissionLease(Admission admission) : RateLimitLease
{
    public static readonly RateLimitLease Free = new AdmissionLease(null!);

    public Admission? Admission { get; } = admission;

    public override bool IsAcquired => Admission is null || Admission.Admitted;

    public override IEnumerable<string> MetadataNames => IsAcquired ? [] : [MetadataName.RetryAfter.Name, MetadataName.ReasonPhrase.Name];

    public override bool TryGetMetadata(string metadataName, out object? metadata)
    {
        if (!IsAcquired && metadataName == MetadataName.RetryAfter.Name)
        {
            metadata = Admission!.RetryAfter;
            return true;
        }

        if (!IsAcquired && metadataName == MetadataName.ReasonPhrase.Name)
        {
            metadata = Admission!.Reason;
            return true;
        }

        metadata = null;
        return false;
    }
}
