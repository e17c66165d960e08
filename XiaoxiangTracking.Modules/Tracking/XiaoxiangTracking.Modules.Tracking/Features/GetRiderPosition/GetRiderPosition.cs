using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using XiaoxiangTracking.Modules.Shared.Errors;
using XiaoxiangTracking.Modules.Tracking.Persistence;
using System.Security.Claims;
using XiaoxiangTracking.Modules.Shared.Security;

namespace XiaoxiangTracking.Modules.Tracking.Features.GetRiderPosition;

/// <summary>A rider's latest stored fix (greatest fix time, whatever order fixes arrived in).</summary>
/// <param name="RiderId">The rider.</param>
/// <param name="PointId">The fix's point id.</param>
/// <param name="FixTime">When the fix was taken.</param>
/// <param name="Latitude">WGS 84 latitude.</param>
/// <param name="Longitude">WGS 84 longitude.</param>
/// <param name="Accuracy">Accuracy radius in metres.</param>
/// <param name="Speed">Speed in m/s.</param>
/// <param name="Heading">Heading in degrees.</param>
/// <param name="Geohash">Geohash of the fix (9 characters).</param>
internal sealed record RiderPositionResponse(
    string RiderId,
    string PointId,
    DateTimeOffset FixTime,
    double Latitude,
    double Longitude,
    double? Accuracy,
    double? Speed,
    double? Heading,
    string Geohash);

internal sealed record GetRiderPosition(string RiderId) : IQuery<RiderPositionResponse>;

internal sealed class GetRiderPositionHandler(TrackingDbContext db) : IQueryHandler<GetRiderPosition, RiderPositionResponse>
{
    public async ValueTask<RiderPositionResponse> Handle(GetRiderPosition query, CancellationToken cancellationToken) =>
        await db.RiderPositions.AsNoTracking()
            .Where(p => p.RiderId == query.RiderId)
            .OrderByDescending(p => p.FixTime)
            .Select(p => new RiderPositionResponse(p.RiderId, p.ClientPointId, p.FixTime, p.Latitude, p.Longitude,
                p.AccuracyMeters, p.SpeedMetersPerSecond, p.HeadingDegrees, p.Geohash))
            .FirstOrDefaultAsync(cancellationToken)
        ?? throw new NotFoundException("Rider position", query.RiderId);
}

internal static class GetRiderPositionEndpoint
{
    public static void MapGetRiderPosition(this IEndpointRouteBuilder tracking) =>
        tracking.MapGet("/riders/{riderId}/position", async (string riderId, ClaimsPrincipal user, ISender sender, CancellationToken cancellationToken) =>
                TypedResults.Ok(await sender.Send(new GetRiderPosition(user.ActingAs(riderId, Roles.Rider, "read positions")), cancellationToken)))
            .RequireAuthorization(Policies.Riders)
            .WithName("GetRiderPosition")
            .WithSummary("A rider's latest position")
            .WithDescription("The stored fix with the greatest fix time; late uploads of older fixes never move it back.")
            .ProducesProblem(StatusCodes.Status404NotFound);
}
