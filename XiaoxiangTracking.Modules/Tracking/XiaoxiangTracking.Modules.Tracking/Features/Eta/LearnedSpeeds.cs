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
    private long _forgotten;

    public async Task<RideSpeed> GetAsync(string area, int hour, Func<Task<RideSpeed>> learn)
    {
        var now = clock.GetUtcNow();
        if (_speeds.TryGetValue((area, hour), out var known) && known.Until > now)
        {
            return known.Speed;
        }

        var forgotten = Interlocked.Read(ref _forgotten);
        var speed = await learn();
        // Not kept when a delivery was filed while learning: what was read may not include it.
        var learned = KeyValuePair.Create((area, hour), (speed, now + KeepFor));
        _speeds[learned.Key] = learned.Value;
        if (Interlocked.Read(ref _forgotten) != forgotten)
        {
            _speeds.TryRemove(learned);
        }

        return speed;
    }

    /// <summary>A delivery's speed was filed: learn afresh.</summary>
    public void Forget()
    {
        Interlocked.Increment(ref _forgotten);
        _speeds.Clear();
    }
}
