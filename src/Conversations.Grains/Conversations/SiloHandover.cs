namespace Conversations.Grains.Conversations;

/// <summary>
/// A conversation on a silo that is on its way out (draining) moves to a silo that is staying, now, so the
/// client's retry finds it there instead of waiting for this one to finish stopping. Placement alone might
/// choose this silo again, since it is still active while it drains.
/// </summary>
internal static class SiloHandover
{
    public static void MoveToAnotherSilo(Grain grain, IClusterMembershipService membership, ILocalSiloDetails localSilo)
    {
        var staying = membership.CurrentSnapshot.Members.Values
            .Where(member => member.Status == SiloStatus.Active && !member.SiloAddress.Equals(localSilo.SiloAddress))
            .Select(member => member.SiloAddress)
            .ToList();
        if (staying.Count == 0)
        {
            return; // the last silo: nowhere to go, the conversation re-activates when one starts
        }

        RequestContext.Set(Orleans.Runtime.Placement.IPlacementDirector.PlacementHintKey, staying[Random.Shared.Next(staying.Count)]);
        grain.MigrateOnIdle();
    }
}
