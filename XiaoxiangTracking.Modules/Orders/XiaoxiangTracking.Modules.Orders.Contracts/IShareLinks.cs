namespace XiaoxiangTracking.Modules.Orders.Contracts;

/// <summary>A share link that holds now: which order it shows and until when.</summary>
/// <param name="LinkId">The link's id.</param>
/// <param name="OrderId">The order it shows.</param>
/// <param name="ExpiresAt">When it stops working (sooner if revoked or the order ends first).</param>
public sealed record ValidShareLink(string LinkId, string OrderId, DateTimeOffset ExpiresAt);

/// <summary>The Orders module's share links, for the host's authentication and the hub's live connections.</summary>
public interface IShareLinks
{
    /// <summary>The link a token belongs to, if it holds now (not revoked, not expired); null for any other token.</summary>
    Task<ValidShareLink?> FindAsync(string token, CancellationToken cancellationToken);

    /// <summary>Of <paramref name="linkIds"/>, those that still hold now.</summary>
    Task<IReadOnlySet<string>> StillValidAsync(IReadOnlyCollection<string> linkIds, CancellationToken cancellationToken);
}

/// <summary>What a share link's token looks like.</summary>
public static class ShareLinkTokens
{
    /// <summary>Every share token starts so; bearer tokens that do are share tokens, never JWTs.</summary>
    public const string Prefix = "xts_";

    /// <summary>Whether <paramref name="token"/> has a share token's shape (prefix and length), before any lookup.</summary>
    public static bool LooksLikeOne(ReadOnlySpan<char> token) => token.Length == 47 && token.StartsWith(Prefix, StringComparison.Ordinal);
}
