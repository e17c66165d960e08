using System.Security.Cryptography;
using System.Text;

namespace XiaoxiangTracking.Modules.Orders.Domain;

/// <summary>
/// A read-only tracking link to one order that its customer (or ops) handed to someone. The token is shown once, at
/// creation; only its SHA-256 is kept, so a copy of the database opens no link. The link stops working when revoked,
/// at <see cref="ExpiresAt"/> (at most a day after it was made), or a while after the order was delivered or cancelled,
/// whichever comes first.
/// </summary>
internal sealed class ShareLink
{
    private ShareLink()
    {
    }

    public string Id { get; private set; } = string.Empty;

    public string OrderId { get; private set; } = string.Empty;

    /// <summary>Lower-case hex SHA-256 of the token.</summary>
    public string TokenHash { get; private set; } = string.Empty;

    public DateTimeOffset CreatedAt { get; private set; }

    public string CreatedBy { get; private set; } = string.Empty;

    /// <summary>The latest the link works, whatever the order does.</summary>
    public DateTimeOffset ExpiresAt { get; private set; }

    public DateTimeOffset? RevokedAt { get; private set; }

    public string? RevokedBy { get; private set; }

    /// <summary>A new link and its token (256 random bits, base64url, after <c>xts_</c>).</summary>
    public static (ShareLink Link, string Token) Create(string orderId, string createdBy, DateTimeOffset expiresAt, DateTimeOffset now)
    {
        var token = Contracts.ShareLinkTokens.Prefix + Base64UrlToken(RandomNumberGenerator.GetBytes(32));
        return (new ShareLink
        {
            Id = Guid.CreateVersion7(now).ToString("N"),
            OrderId = orderId,
            TokenHash = HashOf(token),
            CreatedAt = now,
            CreatedBy = createdBy,
            ExpiresAt = expiresAt,
        }, token);
    }

    public static string HashOf(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Revokes the link (again: nothing changes).</summary>
    public void Revoke(string by, DateTimeOffset now)
    {
        if (RevokedAt is null)
        {
            RevokedAt = now;
            RevokedBy = by;
        }
    }

    /// <summary>When the link stops working: its own expiry, or <paramref name="afterEnd"/> after the order ended if sooner.</summary>
    public static DateTimeOffset EffectiveExpiry(DateTimeOffset expiresAt, DateTimeOffset? orderEndedAt, TimeSpan afterEnd) =>
        orderEndedAt is { } ended && ended + afterEnd < expiresAt ? ended + afterEnd : expiresAt;

    private static string Base64UrlToken(byte[] bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);
}
