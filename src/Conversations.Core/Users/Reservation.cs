namespace Conversations.Core.Users;

/// <summary>
/// The answer to "may this host send up to n more of this user's requests upstream?": the admission (with
/// what the <c>x-ratelimit-*</c> headers report once the reserved requests are counted), how many were
/// reserved, and the requests window they were counted in, so that the unused ones can be given back to it.
/// </summary>
/// <param name="Granted">Requests counted for the asker: 0 when refused, else at least 1.</param>
[GenerateSerializer, Immutable]
public sealed record Reservation(
    [property: Id(0)] Admission Admission,
    [property: Id(1)] int Granted,
    [property: Id(2)] DateTimeOffset WindowStart);
