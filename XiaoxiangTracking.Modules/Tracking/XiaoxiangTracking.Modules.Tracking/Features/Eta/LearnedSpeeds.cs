using System.Collections.Concurrent;

namespace XiaoxiangTracking.Modules.Tracking.Features.Eta;

/// <summary>
/// The ride speeds learned per area and hour, kept for a minute: every move of every delivering order asks for its
/// area's, and they change only when a delivery completes — which forgets them here at once (another instance's
/// deliveries are seen within the minute).
/// </summary>
internal sealed class LearnedSpeeds(TimeProvider clock)
{
    private static readonly TimeSpan KeepFor = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<(string Area, int Hour), (RideSpeed Speed, DateTimeOffset Until)> _speeds = new();

    public async Task<RideSpeed> GetAsync(string area, int hour, Func<Task<RideSpeed>> learn)
    {
        var now = clock.GetUtcNow();
        if (_speeds.TryGetValue((area, hour), out var known) && known.Until > now)
        {
            return known.Speed;
        }

        var speed = await learn();
        _speeds[(area, hour)] = (speed, now + KeepFor);
        return speed;
    }

    /// <summary>A delivery's speed was filed: learn afresh.</summary>
    public void Forget() => _speeds.Clear();
}
