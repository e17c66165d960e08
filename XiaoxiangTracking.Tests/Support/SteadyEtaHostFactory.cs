namespace XiaoxiangTracking.Tests.Support;

/// <summary>
/// A host for tests that count versions exactly: the ETA is still estimated at assignment (in the assignment's delta),
/// kept to half an hour, so no ETA-only delta slips in between the status and position changes the tests follow.
/// </summary>
public sealed class SteadyEtaHostFactory : TrackingHostFactory
{
    public SteadyEtaHostFactory() => With("Tracking:Eta:Resolution", "00:30:00");
}
