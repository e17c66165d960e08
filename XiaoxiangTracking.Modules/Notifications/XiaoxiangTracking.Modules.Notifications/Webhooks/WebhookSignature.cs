using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using XiaoxiangTracking.Modules.Notifications.Domain;

namespace XiaoxiangTracking.Modules.Notifications.Webhooks;

/// <summary>
/// How deliveries are signed: <c>X-Xiaoxiang-Signature: sha256=&lt;hex HMAC-SHA256(secret, timestamp + "." + body)&gt;</c>
/// with <c>X-Xiaoxiang-Timestamp</c> the Unix time in seconds. A receiver recomputes the signature over the raw body and
/// rejects a timestamp more than a few minutes old, so a captured delivery cannot be replayed later.
/// </summary>
internal static class WebhookSignature
{
    public const string SignatureHeader = "X-Xiaoxiang-Signature";
    public const string TimestampHeader = "X-Xiaoxiang-Timestamp";
    public const string EventHeader = "X-Xiaoxiang-Event";
    public const string DeliveryHeader = "X-Xiaoxiang-Delivery";

    public static string Sign(string secret, long unixSeconds, string body)
    {
        var mac = HMACSHA256.HashData(
            Encoding.UTF8.GetBytes(secret),
            Encoding.UTF8.GetBytes(unixSeconds.ToString(CultureInfo.InvariantCulture) + "." + body));
        return "sha256=" + Convert.ToHexStringLower(mac);
    }
}
