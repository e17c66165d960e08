using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace XiaoxiangTracking.Tests.Support;

/// <summary>What the rider app sends: one position report at a place given as metres from a reference point.</summary>
public static class RiderApp
{
    private const double MetersPerDegree = 111_320;

    /// <summary>A rider id no other test uses.</summary>
    public static string NewRider() => $"r-{Guid.NewGuid():N}"[..20];

    /// <summary>The point <paramref name="northMeters"/> north and <paramref name="eastMeters"/> east of (latitude, longitude).</summary>
    public static (double Latitude, double Longitude) Offset(double latitude, double longitude, double northMeters, double eastMeters) =>
        (latitude + (northMeters / MetersPerDegree),
         longitude + (eastMeters / (MetersPerDegree * Math.Cos(latitude * Math.PI / 180))));

    /// <summary>The warehouse of <see cref="OrderRequests.NewOrder"/>, offset by metres.</summary>
    public static (double Latitude, double Longitude) NearWarehouse(double northMeters, double eastMeters = 0) =>
        Offset(31.22, 121.54, northMeters, eastMeters);

    /// <summary>The point a <paramref name="fraction"/> of the way from the warehouse to the customer of <see cref="OrderRequests.NewOrder"/>.</summary>
    public static (double Latitude, double Longitude) AlongRoute(double fraction) =>
        (31.22 + ((31.2304 - 31.22) * fraction), 121.54 + ((121.4737 - 121.54) * fraction));

    public static async Task ReportAsync(this HttpClient client, string riderId, (double Latitude, double Longitude) at, DateTimeOffset fixTime)
    {
        var response = await client.PostAsJsonAsync("/api/tracking/positions", new JsonObject
        {
            ["riderId"] = riderId,
            ["pointId"] = $"p-{fixTime.UtcTicks}",
            ["fixTime"] = fixTime,
            ["latitude"] = at.Latitude,
            ["longitude"] = at.Longitude,
            ["accuracy"] = 8,
        });
        response.EnsureSuccessStatusCode();
    }
}
