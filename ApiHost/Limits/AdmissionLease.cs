using System.Threading.RateLimiting;
using Conversations.Core.Users;

namespace Conversations.ApiHost.Limits;

/// <summary>The cluster's answer for one request, as a lease the rate limiting middleware understands.</summary>
public sealed class AdmissionLease(Admission admission) : RateLimitLease
{
    public static readonly RateLimitLease Free = new AdmissionLease(null!);

    public Admission? Admission { get; } = admission;

    public override bool IsAcquired => Admission is not Admission.Refused;

    public override IEnumerable<string> MetadataNames => IsAcquired ? [] : [MetadataName.RetryAfter.Name, MetadataName.ReasonPhrase.Name];

    public override bool TryGetMetadata(string metadataName, out object? metadata)
    {
        if (Admission is Admission.Refused refused)
        {
            if (metadataName == MetadataName.RetryAfter.Name)
            {
                metadata = refused.RetryAfter;
                return true;
            }

            if (metadataName == MetadataName.ReasonPhrase.Name)
            {
                metadata = refused.Reason;
                return true;
            }
        }

        metadata = null;
        return false;
    }
}
