namespace XiaoxiangTracking.Bench;

/// <summary>Latency samples in milliseconds, summarised as percentiles.</summary>
internal sealed class Samples
{
    private readonly List<double> _values = [];
    private readonly Lock _gate = new();

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _values.Count;
            }
        }
    }

    public void Add(double milliseconds)
    {
        lock (_gate)
        {
            _values.Add(milliseconds);
        }
    }

    public static double Since(long timestamp) => System.Diagnostics.Stopwatch.GetElapsedTime(timestamp).TotalMilliseconds;

    public double Percentile(double p)
    {
        lock (_gate)
        {
            if (_values.Count == 0)
            {
                return double.NaN;
            }

            _values.Sort();
            return _values[Math.Min(_values.Count - 1, (int)Math.Ceiling(p / 100 * _values.Count) - 1)];
        }
    }

    public string Summary => Count == 0 ? "—" : $"{Percentile(50):0.0} / {Percentile(95):0.0} / {Percentile(99):0.0}";
}
