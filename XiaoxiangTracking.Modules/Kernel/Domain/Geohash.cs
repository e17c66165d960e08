using System.Text;

namespace XiaoxiangTracking.Modules.Shared.Domain;

/// <summary>
/// Standard geohash (base-32, longitude bit first). Positions are stored with their geohash so that, on SQLite, which
/// has no spatial index, "near this point" becomes a prefix range scan over an ordinary index. The encoder is a few
/// lines of well-known bit interleaving, so it is written here rather than taken as a dependency.
/// </summary>
public static class Geohash
{
    private const string Alphabet = "0123456789bcdefghjkmnpqrstuvwxyz";

    /// <summary>Default stored precision: 9 characters, a cell of about 4.8 m × 4.8 m.</summary>
    public const int StoredPrecision = 9;

    public static string Encode(double latitude, double longitude, int precision = StoredPrecision)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(precision, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(precision, 12);
        double latMin = -90, latMax = 90, lngMin = -180, lngMax = 180;
        var result = new StringBuilder(precision);
        var evenBit = true;
        int bit = 0, index = 0;
        while (result.Length < precision)
        {
            if (evenBit)
            {
                var mid = (lngMin + lngMax) / 2;
                if (longitude >= mid)
                {
                    index = (index << 1) | 1;
                    lngMin = mid;
                }
                else
                {
                    index <<= 1;
                    lngMax = mid;
                }
            }
            else
            {
                var mid = (latMin + latMax) / 2;
                if (latitude >= mid)
                {
                    index = (index << 1) | 1;
                    latMin = mid;
                }
                else
                {
                    index <<= 1;
                    latMax = mid;
                }
            }

            evenBit = !evenBit;
            if (++bit == 5)
            {
                result.Append(Alphabet[index]);
                bit = 0;
                index = 0;
            }
        }

        return result.ToString();
    }

    /// <summary>
    /// The geohash cells (as prefixes) that together cover the circle of <paramref name="radiusMeters"/> around
    /// <paramref name="center"/>: cells of the finest precision still at least as large as the radius, so at most 3 × 3
    /// of them. A stored geohash starting with one of the prefixes may lie in the circle; one starting with none cannot.
    /// (City scale: the circle is not split at the poles or the antimeridian.)
    /// </summary>
    public static IReadOnlyList<string> CoveringCells(GeoCoordinate center, double radiusMeters)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(radiusMeters);
        const double metersPerDegree = 111_320;
        var latitudeSpan = radiusMeters / metersPerDegree;
        var longitudeSpan = Math.Min(180, radiusMeters / (metersPerDegree * Math.Max(0.01, Math.Cos(center.Latitude * Math.PI / 180))));
        var precision = StoredPrecision;
        while (precision > 1 && (CellHeight(precision) < latitudeSpan || CellWidth(precision) < longitudeSpan))
        {
            precision--;
        }

        var cells = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var latitude in Steps(Math.Max(-90, center.Latitude - latitudeSpan), Math.Min(90, center.Latitude + latitudeSpan), CellHeight(precision)))
        {
            foreach (var longitude in Steps(Math.Max(-180, center.Longitude - longitudeSpan), Math.Min(180, center.Longitude + longitudeSpan), CellWidth(precision)))
            {
                cells.Add(Encode(latitude, longitude, precision));
            }
        }

        return [.. cells];
    }

    /// <summary>The height in degrees of a cell of <paramref name="precision"/> characters (latitude gets the odd bits).</summary>
    private static double CellHeight(int precision) => 180 / Math.Pow(2, 5 * precision / 2);

    /// <summary>The width in degrees of a cell of <paramref name="precision"/> characters.</summary>
    private static double CellWidth(int precision) => 360 / Math.Pow(2, (5 * precision + 1) / 2);

    /// <summary>From <paramref name="from"/> to <paramref name="to"/> in steps no larger than a cell, both ends included, so every cell between is hit.</summary>
    private static IEnumerable<double> Steps(double from, double to, double step)
    {
        for (var value = from; value < to; value += step)
        {
            yield return value;
        }

        yield return to;
    }
}
