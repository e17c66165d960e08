using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Security.Claims;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using XiaoxiangTracking.Modules.Shared.Errors;
using XiaoxiangTracking.Modules.Shared.Hosting;
using XiaoxiangTracking.Modules.Shared.Security;
using XiaoxiangTracking.Web.Security.Persistence;
using XiaoxiangTracking.Web.Errors;

namespace XiaoxiangTracking.Web.Security;

/// <summary>A network to refuse.</summary>
/// <param name="Cidr">An address (203.0.113.7) or a network in CIDR notation (203.0.113.0/24, 2001:db8::/32).</param>
/// <param name="Reason">Why, for the next operator (up to 200 characters).</param>
internal sealed record DenyNetworkRequest([property: Required] string Cidr, [property: Required] string Reason);

/// <summary>A refused network.</summary>
/// <param name="Id">Its id (to remove it).</param>
/// <param name="Cidr">The network, normalised.</param>
/// <param name="Reason">Why it is refused.</param>
/// <param name="CreatedBy">The operator who added it.</param>
/// <param name="CreatedAt">When.</param>
internal sealed record DeniedNetworkResponse(string Id, string Cidr, string Reason, string CreatedBy, DateTimeOffset CreatedAt)
{
    public static DeniedNetworkResponse Of(DeniedNetwork d) => new(d.Id, d.Cidr, d.Reason, d.CreatedBy, d.CreatedAt);
}

internal sealed class DenyNetworkRequestValidator : AbstractValidator<DenyNetworkRequest>
{
    public DenyNetworkRequestValidator()
    {
        RuleFor(r => r.Cidr).Cascade(CascadeMode.Stop).NotEmpty().MaximumLength(DeniedNetwork.MaxCidrLength)
            .Must(cidr => DenyList.TryParseNetwork(cidr, out _)).WithMessage("'cidr' must be an IP address or a network such as 203.0.113.0/24.");
        RuleFor(r => r.Reason).NotEmpty().MaximumLength(DeniedNetwork.MaxReasonLength);
    }
}

/// <summary>
/// The IP deny list: networks ops refuse at run time (403 before anything else runs), persisted, and kept in memory by
/// every instance — at once by the one that changed it, within <see cref="RefreshInterval"/> by the others.
/// </summary>
internal sealed class DenyList(IServiceScopeFactory scopes, TimeProvider clock, ILogger<DenyList> logger) : PeriodicService(clock, logger)
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(30);

    private volatile IReadOnlyList<System.Net.IPNetwork> _networks = [];

    public bool IsDenied(IPAddress? address)
    {
        if (address is null)
        {
            return false;
        }

        var candidate = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        foreach (var network in _networks)
        {
            if (network.Contains(candidate))
            {
                return true;
            }
        }

        return false;
    }

    public static bool TryParseNetwork(string? cidr, out System.Net.IPNetwork network)
    {
        network = default;
        if (string.IsNullOrWhiteSpace(cidr))
        {
            return false;
        }

        if (IPAddress.TryParse(cidr, out var single))
        {
            network = new System.Net.IPNetwork(single, single.GetAddressBytes().Length * 8);
            return true;
        }

        // IPNetwork refuses networks with host bits set (203.0.113.7/24); so do we: the operator should say what they mean.
        return System.Net.IPNetwork.TryParse(cidr, out network);
    }

    public async Task ReloadAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SecurityDbContext>();
        var stored = await db.DeniedNetworks.AsNoTracking().Select(d => d.Cidr).ToListAsync(cancellationToken);
        _networks = [.. stored.Select(cidr => TryParseNetwork(cidr, out var network) ? network : (System.Net.IPNetwork?)null).OfType<System.Net.IPNetwork>()];
    }

    protected override TimeSpan Interval => RefreshInterval;

    // Keeps refusing what was refused when a reload fails; the next round tries again.
    protected override string Work => "Reloading the IP deny list";

    protected override bool RoundAtStart => true;

    protected override Task RoundAsync(CancellationToken cancellationToken) => ReloadAsync(cancellationToken);
}

internal static class DenyListEndpoints
{
    /// <summary>Refuses requests from denied networks with 403, before anything else runs.</summary>
    public static WebApplication UseDenyList(this WebApplication app)
    {
        var denyList = app.Services.GetRequiredService<DenyList>();
        app.Use((context, next) => denyList.IsDenied(context.Connection.RemoteIpAddress)
            ? ProblemResponses.WriteAsync(context, StatusCodes.Status403Forbidden, "Address refused.",
                "Requests from this address are refused.", "address_denied")
            : next(context));
        return app;
    }

    public static IEndpointRouteBuilder MapDenyList(this IEndpointRouteBuilder app)
    {
        var denyList = app.MapGroup("/api/security/deny-list").WithTags("Security").RequireAuthorization(Policies.Ops);
        denyList.MapGet("/", async (SecurityDbContext db, CancellationToken cancellationToken) =>
                TypedResults.Ok((await db.DeniedNetworks.AsNoTracking().ToListAsync(cancellationToken))
                    .OrderBy(d => d.CreatedAt).Select(DeniedNetworkResponse.Of).ToList()))
            .WithName("ListDeniedNetworks")
            .WithSummary("Ops: the networks whose requests are refused");
        denyList.MapPost("/", async (
                DenyNetworkRequest request, ClaimsPrincipal user, SecurityDbContext db, DenyList list, TimeProvider clock, CancellationToken cancellationToken) =>
            {
                new DenyNetworkRequestValidator().ValidateAndThrow(request);
                var cidr = DenyList.TryParseNetwork(request.Cidr, out var network) ? network.ToString() : request.Cidr;
                if (await db.DeniedNetworks.AnyAsync(d => d.Cidr == cidr, cancellationToken))
                {
                    throw new ConflictException("already_denied", $"{cidr} is already refused.");
                }

                var denied = new DeniedNetwork
                {
                    Id = Guid.CreateVersion7(clock.GetUtcNow()).ToString("N"),
                    Cidr = cidr,
                    Reason = request.Reason,
                    CreatedBy = user.Id() ?? string.Empty,
                    CreatedAt = clock.GetUtcNow(),
                };
                db.DeniedNetworks.Add(denied);
                await db.SaveChangesAsync(cancellationToken);
                await list.ReloadAsync(cancellationToken);
                return TypedResults.Created($"/api/security/deny-list/{denied.Id}", DeniedNetworkResponse.Of(denied));
            })
            .WithName("DenyNetwork")
            .WithSummary("Ops: refuse every request from an address or network (effective at once on this instance, within 30 s on the others)")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);
        denyList.MapDelete("/{id}", async (string id, SecurityDbContext db, DenyList list, CancellationToken cancellationToken) =>
            {
                var removed = await db.DeniedNetworks.Where(d => d.Id == id).ExecuteDeleteAsync(cancellationToken);
                if (removed == 0)
                {
                    throw new NotFoundException("Denied network", id);
                }

                await list.ReloadAsync(cancellationToken);
                return TypedResults.NoContent();
            })
            .WithName("AllowNetwork")
            .WithSummary("Ops: stop refusing a network")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }
}
