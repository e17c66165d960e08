using System.ComponentModel.DataAnnotations;

namespace XiaoxiangTracking.Web.Security;

/// <summary>
/// How callers' tokens are validated (section <c>Auth</c>). In production the issuer is an external identity provider
/// (<see cref="Authority"/>, keys from its OpenID metadata). Without one, tokens are signed with a shared key:
/// <see cref="SigningKey"/>, or in Development a key generated once and kept in the data folder, with a token endpoint
/// to get one for any role.
/// </summary>
internal sealed class AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>The external issuer (OpenID Connect authority URL); its metadata supplies issuer and signing keys.</summary>
    public string? Authority { get; set; }

    /// <summary>The audience every token must name.</summary>
    [Required]
    public string Audience { get; set; } = "xiaoxiang-tracking";

    /// <summary>The issuer of tokens signed with the shared key.</summary>
    [Required]
    public string Issuer { get; set; } = "xiaoxiang-tracking";

    /// <summary>The shared HMAC-SHA256 key, base64, at least 32 bytes; only when there is no <see cref="Authority"/>.</summary>
    public string? SigningKey { get; set; }

    /// <summary>Tolerated clock difference between issuer and server (default and most 30 s).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:30")]
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a validated token's result is reused before the token is validated in full again (default 5 min, at
    /// most 1 h; zero validates every request in full). A signing key the identity provider withdraws is refused within it.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan ReuseValidatedTokensFor { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Validated tokens held for reuse, about 220 bytes each (default 500,000; zero holds none).</summary>
    [Range(0, 10_000_000)]
    public int ValidatedTokenCapacity { get; set; } = 500_000;

    /// <summary>Lifetime of tokens from the Development token endpoint (default 12 h).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan DevelopmentTokenLifetime { get; set; } = TimeSpan.FromHours(12);
}
