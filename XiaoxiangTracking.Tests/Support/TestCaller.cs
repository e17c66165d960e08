using System.Net.Http.Headers;
using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace XiaoxiangTracking.Tests.Support;

/// <summary>Who a test request or hub connection is from: the claims of the token it carries.</summary>
public sealed record TestCaller(string Role, string Subject, string? WarehouseId = null)
{
    /// <summary>The caller every test client is unless told otherwise: ops may do everything.</summary>
    public static TestCaller DefaultOps { get; } = Ops("ops-test");

    public static TestCaller Ops(string subject) => new("ops", subject);

    public static TestCaller Customer(string subject) => new("customer", subject);

    public static TestCaller Rider(string subject) => new("rider", subject);

    public static TestCaller Warehouse(string subject, string warehouseId) => new("warehouse", subject, warehouseId);
}

/// <summary>
/// Signs tokens as the identity provider would, with the host's shared key (set by <see cref="TrackingHostFactory"/>);
/// the overrides make the invalid ones the security tests send.
/// </summary>
public sealed class TestTokens(byte[] key)
{
    public const string Issuer = "xiaoxiang-tracking";
    public const string Audience = "xiaoxiang-tracking";

    /// <summary>Long enough for tests that move the host's clock by days.</summary>
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromDays(60);

    public byte[] Key { get; } = key;

    public string For(
        TestCaller caller,
        DateTimeOffset? now = null,
        TimeSpan? lifetime = null,
        string issuer = Issuer,
        string audience = Audience,
        byte[]? signingKey = null)
    {
        var issuedAt = now ?? DateTimeOffset.UtcNow;
        var claims = new List<Claim> { new("sub", caller.Subject), new("role", caller.Role) };
        if (caller.WarehouseId is not null)
        {
            claims.Add(new Claim("warehouse_id", caller.WarehouseId));
        }

        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = issuedAt.UtcDateTime,
            NotBefore = issuedAt.UtcDateTime,
            Expires = (issuedAt + (lifetime ?? DefaultLifetime)).UtcDateTime,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(signingKey ?? Key), SecurityAlgorithms.HmacSha256),
        });
    }

    public static AuthenticationHeaderValue Bearer(string token) => new("Bearer", token);
}
