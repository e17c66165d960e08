using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace XiaoxiangTracking.Bench;

/// <summary>What one wrk run measured.</summary>
internal sealed record WrkResult(double PerSecond, double P50, double P99, long NotSuccessful, long SocketErrors, double? HostMicrosecondsPerReport);

/// <summary>
/// A second HTTP ceiling that the bench's own .NET client does not limit: Debian's <c>wrk</c> (a C load generator on
/// epoll) posting the same single position reports, each rider with its own token, fix times advancing and every fix
/// about a metre from the last, so that the host stores each one as a rider's real report.
/// </summary>
internal static partial class Wrk
{
    private const int Riders = 1_000;

    /// <summary>Where wrk is, or null when it is not installed (<c>apt-get install wrk</c>).</summary>
    public static string? Path() =>
        Environment.GetEnvironmentVariable("PATH")?.Split(':').Select(folder => System.IO.Path.Combine(folder, "wrk")).FirstOrDefault(File.Exists);

    /// <summary>
    /// Saturates <paramref name="baseAddress"/> with <paramref name="connections"/> connections for
    /// <paramref name="warmUp"/> unmeasured, then <paramref name="duration"/> measured; with <paramref name="token"/>
    /// (rider id → bearer token) each request carries its rider's token.
    /// </summary>
    public static async Task<WrkResult> SaturateAsync(string wrk, Uri baseAddress, string prefix, Func<string, string>? token, int connections,
        TimeSpan warmUp, TimeSpan duration, HostProcess? host = null)
    {
        // Riders of their own for the warm-up: each run's riders start again from their first fix.
        var warmUpScript = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"xiaoxiang-wrk-{Guid.NewGuid():N}.lua");
        var script = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"xiaoxiang-wrk-{Guid.NewGuid():N}.lua");
        await File.WriteAllTextAsync(warmUpScript, Script(prefix + "-warm", token));
        await File.WriteAllTextAsync(script, Script(prefix, token));
        try
        {
            await RunAsync(wrk, baseAddress, warmUpScript, connections, warmUp);
            var cpuBefore = host?.CpuSeconds();
            var output = await RunAsync(wrk, baseAddress, script, connections, duration);
            var cpu = host is null ? (double?)null : host.CpuSeconds() - cpuBefore!.Value;
            var perSecond = Number(RequestsPerSecond(), output);
            return new WrkResult(
                perSecond,
                Milliseconds(Percentile("50"), output),
                Milliseconds(Percentile("99"), output),
                NotSuccessful().Match(output) is { Success: true } bad ? long.Parse(bad.Groups[1].Value, CultureInfo.InvariantCulture) : 0,
                SocketErrors().Match(output) is { Success: true } errors
                    ? errors.Groups.Values.Skip(1).Sum(g => long.Parse(g.Value, CultureInfo.InvariantCulture))
                    : 0,
                cpu / (perSecond * duration.TotalSeconds) * 1e6);
        }
        finally
        {
            File.Delete(warmUpScript);
            File.Delete(script);
        }
    }

    private static async Task<string> RunAsync(string wrk, Uri baseAddress, string script, int connections, TimeSpan duration)
    {
        var start = new ProcessStartInfo(wrk)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[]
                 {
                     "-t1", $"-c{connections}", $"-d{(int)Math.Ceiling(duration.TotalSeconds)}s", "--latency", "-s", script,
                     new Uri(baseAddress, "/api/tracking/positions").ToString(),
                 })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("wrk did not start");
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"wrk failed ({process.ExitCode}): {error}{output}");
    }

    /// <summary>
    /// The request of each call: riders in turn, each fix a metre north of the rider's last and a millisecond after it
    /// within the current second (distinct instants, as the host stores one fix per rider per instant).
    /// </summary>
    private static string Script(string prefix, Func<string, string>? token)
    {
        var ids = Enumerable.Range(0, Riders).Select(r => $"{prefix}-{r:D6}").ToArray();
        var script = new StringBuilder();
        script.AppendLine("local ids = {" + string.Join(",", ids.Select(id => $"\"{id}\"")) + "}");
        script.AppendLine("local tokens = {" + string.Join(",", ids.Select(id => $"\"{(token is null ? "none" : token(id))}\"")) + "}");
        script.AppendLine("""
            local n, counts, seconds, within = 0, {}, {}, {}
            request = function()
              n = n + 1
              local r = (n % #ids) + 1
              local c = (counts[r] or 0) + 1
              counts[r] = c
              local now = os.time()
              if seconds[r] ~= now then seconds[r] = now; within[r] = 0 end
              within[r] = within[r] + 1
              local fix = os.date("!%Y-%m-%dT%H:%M:%S", now) .. string.format(".%03dZ", within[r] % 1000)
              local body = string.format('{"riderId":"%s","pointId":"w%d","fixTime":"%s","latitude":%.6f,"longitude":%.6f,"accuracy":8,"speed":4.5,"heading":0}',
                ids[r], c, fix, 31.20 + c * 9e-6, 121.45 + r * 1e-4)
              return wrk.format("POST", nil, { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. tokens[r] }, body)
            end
            """);
        return script.ToString();
    }

    private static double Number(Regex pattern, string output) =>
        pattern.Match(output) is { Success: true } match
            ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"wrk's output lacks {pattern}: {output}");

    // "50%    1.23ms", "99%  812.00us", "99%    1.02s"
    private static double Milliseconds(Regex pattern, string output)
    {
        var match = pattern.Match(output);
        if (!match.Success)
        {
            throw new InvalidOperationException($"wrk's output lacks {pattern}: {output}");
        }

        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch
        {
            "us" => value / 1000,
            "ms" => value,
            "s" => value * 1000,
            var unit => throw new InvalidOperationException($"wrk's latency unit {unit} is unknown"),
        };
    }

    private static Regex Percentile(string percent) => new($@"^\s*{percent}%\s+([0-9.]+)(us|ms|s)\s*$", RegexOptions.Multiline);

    [GeneratedRegex(@"Requests/sec:\s+([0-9.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+([0-9]+)")]
    private static partial Regex NotSuccessful();

    [GeneratedRegex(@"Socket errors: connect ([0-9]+), read ([0-9]+), write ([0-9]+), timeout ([0-9]+)")]
    private static partial Regex SocketErrors();
}
