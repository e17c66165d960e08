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
}
