using FluentValidation;
using ValidationException = FluentValidation.ValidationException;
using FluentValidation.Results;
using System.ComponentModel.DataAnnotations;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using System.Security.Claims;
using XiaoxiangTracking.Modules.Shared.Security;

namespace XiaoxiangTracking.Modules.Tracking.Features.IngestPositions;

/// <summary>One position report of a rider: a fix and who took it.</summary>
internal sealed record RiderPositionReport : PositionPoint
{
    /// <summary>The reporting rider: riders report as themselves and may leave it out; ops name the rider.</summary>
    /// <example>rider-0042</example>
    public string? RiderId { get; init; }
}

/// <summary>A rider's offline buffer, uploaded at once.</summary>
internal sealed record RiderPositionBatch
{
    /// <summary>The reporting rider: riders report as themselves and may leave it out; ops name the rider.</summary>
    /// <example>rider-0042</example>
    public string? RiderId { get; init; }

    /// <summary>The buffered fixes, 1 to 500, in any order.</summary>
    [Required]
    public IReadOnlyList<PositionPoint> Positions { get; init; } = null!;
}

internal static class IngestPositionsEndpoints
{
    private const string SingleReportPrefix = nameof(IngestPositions.Positions) + "[0].";

    public static void MapIngestPositions(this IEndpointRouteBuilder tracking)
    {
        tracking.MapPost("/positions", async Task<Results<Ok<PositionOutcome>, ProblemHttpResult>> (
                RiderPositionReport report, ClaimsPrincipal user, ISender sender, CancellationToken cancellationToken) =>
            {
                var riderId = user.ActingAs(report.RiderId, Roles.Rider, "report positions");
                IngestReply reply;
                try
                {
                    reply = await sender.Send(new IngestPositions(riderId, [report]), cancellationToken);
                }
                catch (ValidationException invalid)
                {
                    // The report is sent as a batch of one: its fields are keyed as the client named them, not as the batch's.
                    throw new ValidationException(invalid.Errors.Select(e =>
                        new ValidationFailure(e.PropertyName.Replace(SingleReportPrefix, string.Empty, StringComparison.Ordinal), e.ErrorMessage)));
                }

                var outcome = reply.Results[0];
                return outcome.Outcome == PositionOutcome.Rejected
                    ? TypedResults.Problem(
                        statusCode: StatusCodes.Status422UnprocessableEntity,
                        title: "The position was rejected.",
                        detail: $"Position {outcome.PointId} was not stored: {outcome.Reason}.",
                        extensions: new Dictionary<string, object?> { ["code"] = "position_rejected", ["reason"] = outcome.Reason })
                    : TypedResults.Ok(outcome);
            })
            .WithName("ReportPosition")
            .WithSummary("Rider: report one position (every 15 s)")
            .WithDescription("200 means the fix is committed (outcome accepted) or was already stored (duplicate). "
                + "A fix refused by a filter is 422 with its reason. 503 + Retry-After when the server is saturated.")
            .RequireAuthorization(Policies.Riders)
            .RequireRateLimiting(RateLimits.Positions)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        tracking.MapPost("/positions/batch", async (RiderPositionBatch batch, ClaimsPrincipal user, ISender sender, CancellationToken cancellationToken) =>
                TypedResults.Ok(await sender.Send(
                    new IngestPositions(user.ActingAs(batch.RiderId, Roles.Rider, "report positions"), batch.Positions), cancellationToken)))
            .RequireAuthorization(Policies.Riders)
            .RequireRateLimiting(RateLimits.Positions)
            .WithName("ReportPositionBatch")
            .WithSummary("Rider: upload the offline buffer (up to 500 positions)")
            .WithDescription("One outcome per fix in the order sent: accepted, duplicate or rejected with a reason. "
                + "Accepted fixes are committed before the reply. Re-sending the same batch stores nothing twice; "
                + "older fixes extend the trajectory without moving the rider's latest position back.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
    }
}
