using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using XiaoxiangTracking.Modules.Shared.Security;

namespace XiaoxiangTracking.Web.Security;

/// <summary>
/// The JWT bearer scheme's token handler: validates a token in full (<see cref="JsonWebTokenHandler"/>) the first time
/// it is seen, then reuses that result. A rider's app sends the same token with every report, every 15 s for a whole
/// shift, and parsing, checking the signature and building the claims again each time was a measurable part of a
/// report's cost.
/// <list type="bullet">
/// <item>A token is remembered only after it validated, by the SHA-256 digest of the whole token (never the token
/// itself): a token that differs in any character is validated in full.</item>
/// <item>Its lifetime is checked on every use, on the host's clock with the same skew.</item>
/// <item>A reused result is at most <see cref="AuthOptions.ReuseValidatedTokensFor"/> old. After that the token is
/// validated in full again, so a signing key the identity provider withdraws stops being accepted within that time.</item>
/// <item>At most <see cref="AuthOptions.ValidatedTokenCapacity"/> are held, about 220 bytes each (the caller's id and
/// the token's times; roles and issuer are shared). Beyond that, tokens are validated each time.</item>
/// </list>
/// A principal carries what the service reads of a token, the same on first use and on reuse: <c>sub</c>, each
/// <c>role</c> and <c>warehouse_id</c>.
/// </summary>
internal sealed class ValidatedTokens(IOptions<AuthOptions> options, TimeProvider clock) : TokenHandler
{
    private const string DefaultAuthenticationType = "AuthenticationTypes.Federation";

    private readonly JsonWebTokenHandler _validator = new() { MapInboundClaims = false };
    private readonly ConcurrentDictionary<Digest, Validated> _held = new();
    private readonly TimeSpan _reuseFor = options.Value.ReuseValidatedTokensFor;
    private readonly int _capacity = options.Value.ValidatedTokenCapacity;
    private readonly TimeSpan _skew = options.Value.ClockSkew;
    private int _added;
    private long _validations;

    /// <summary>Tokens held for reuse.</summary>
    public int Count => _held.Count;

    /// <summary>Tokens validated in full since the start (the rest were reused).</summary>
    public long FullValidations => Interlocked.Read(ref _validations);

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        var now = clock.GetUtcNow();
        var digest = _capacity > 0 && _reuseFor > TimeSpan.Zero ? Digest.Of(token) : default;
        if (_held.TryGetValue(digest, out var held) && now < held.ReuseUntil)
        {
            return TokenAuthentication.WithinLifetime(held.ValidFrom, held.ValidTo, now.UtcDateTime, _skew)
                ? held.Result()
                : new TokenValidationResult
                {
                    IsValid = false,
                    Exception = held.ValidTo <= now.UtcDateTime
                        ? new SecurityTokenExpiredException("The token has expired.") { Expires = held.ValidTo }
                        : new SecurityTokenNotYetValidException("The token is not valid yet.") { NotBefore = held.ValidFrom },
                };
        }

        Interlocked.Increment(ref _validations);
        var result = await _validator.ValidateTokenAsync(token, validationParameters);
        if (!result.IsValid)
        {
            return result;
        }

        var validated = Validated.Of(result, now + _reuseFor, validationParameters);
        if (digest != default)
        {
            Hold(digest, validated, now);
        }

        return validated.Result();
    }

    public override SecurityToken ReadToken(string token) => _validator.ReadToken(token);

    private void Hold(Digest digest, Validated validated, DateTimeOffset now)
    {
        // Every 4,096 tokens validated in full, what can no longer be reused makes room: a full host does not scan its
        // tokens for each new one.
        if (Interlocked.Increment(ref _added) % 4096 == 0)
        {
            foreach (var (key, entry) in _held)
            {
                if (entry.ReuseUntil <= now || entry.ValidTo <= now.UtcDateTime - _skew)
                {
                    _held.TryRemove(KeyValuePair.Create(key, entry));
                }
            }
        }

        // A token validated again (its reuse window over) replaces its own entry even when the host is full.
        if (_held.Count < _capacity || _held.ContainsKey(digest))
        {
            _held[digest] = validated;
        }
    }

    /// <summary>A token's SHA-256 digest.</summary>
    private readonly record struct Digest(ulong A, ulong B, ulong C, ulong D)
    {
        public static Digest Of(string token)
        {
            var length = Encoding.UTF8.GetMaxByteCount(token.Length);
            var rented = length > 2048 ? ArrayPool<byte>.Shared.Rent(length) : null;
            try
            {
                Span<byte> bytes = rented ?? stackalloc byte[2048];
                var written = Encoding.UTF8.GetBytes(token, bytes);
                Span<ulong> hash = stackalloc ulong[4];
                SHA256.HashData(bytes[..written], MemoryMarshal.AsBytes(hash));
                return new Digest(hash[0], hash[1], hash[2], hash[3]);
            }
            finally
            {
                if (rented is not null)
                {
                    ArrayPool<byte>.Shared.Return(rented);
                }
            }
        }

        // The digest is uniformly spread already, and only validated tokens are held: nobody without the signing key
        // can choose what goes in.
        public override int GetHashCode() => (int)A;
    }

    /// <summary>What a validated token says, as much as the service reads, and until when it may be reused.</summary>
    private sealed class Validated(
        string subject, string[] roles, string? warehouseId, string issuer, string authenticationType,
        DateTime validFrom, DateTime validTo, DateTimeOffset reuseUntil)
    {
        private static readonly Dictionary<string, string[]> OneRole = Roles.All.ToDictionary(role => role, role => new[] { role }, StringComparer.Ordinal);

        public DateTime ValidFrom => validFrom;

        public DateTime ValidTo => validTo;

        public DateTimeOffset ReuseUntil => reuseUntil;

        public static Validated Of(TokenValidationResult result, DateTimeOffset reuseUntil, TokenValidationParameters parameters)
        {
            var identity = result.ClaimsIdentity;
            var token = result.SecurityToken;
            var roles = identity.FindAll(ClaimNames.Role).Select(c => c.Value).ToArray();
            return new Validated(
                identity.FindFirst(ClaimNames.Subject)?.Value ?? string.Empty,
                // The common case, one known role, shares one array.
                roles is [var role] && OneRole.TryGetValue(role, out var one) ? one : roles,
                identity.FindFirst(ClaimNames.WarehouseId)?.Value,
                token.Issuer == parameters.ValidIssuer ? parameters.ValidIssuer : token.Issuer,
                identity.AuthenticationType ?? DefaultAuthenticationType,
                token.ValidFrom,
                token.ValidTo,
                reuseUntil);
        }

        /// <summary>A principal of its own for each request: claims added to one request's identity stay there.</summary>
        public TokenValidationResult Result()
        {
            var claims = new List<Claim>(roles.Length + 2);
            if (subject.Length > 0)
            {
                claims.Add(new Claim(ClaimNames.Subject, subject, ClaimValueTypes.String, issuer));
            }

            foreach (var role in roles)
            {
                claims.Add(new Claim(ClaimNames.Role, role, ClaimValueTypes.String, issuer));
            }

            if (warehouseId is not null)
            {
                claims.Add(new Claim(ClaimNames.WarehouseId, warehouseId, ClaimValueTypes.String, issuer));
            }

            return new TokenValidationResult
            {
                IsValid = true,
                ClaimsIdentity = new ClaimsIdentity(claims, authenticationType, ClaimNames.Subject, ClaimNames.Role),
                SecurityToken = new ValidatedToken(issuer, validFrom, validTo),
            };
        }
    }

    /// <summary>A validated token as the bearer handler reads it: its lifetime (the ticket's, and a hub connection's).</summary>
    private sealed class ValidatedToken(string issuer, DateTime validFrom, DateTime validTo) : SecurityToken
    {
        public override string Id => string.Empty;

        public override string Issuer => issuer;

        public override SecurityKey? SecurityKey => null;

        public override SecurityKey? SigningKey { get; set; }

        public override DateTime ValidFrom => validFrom;

        public override DateTime ValidTo => validTo;
    }
}
