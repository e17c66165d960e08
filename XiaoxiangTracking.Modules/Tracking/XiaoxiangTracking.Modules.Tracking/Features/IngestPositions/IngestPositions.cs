using System.ComponentModel.DataAnnotations;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using XiaoxiangTracking.Modules.Shared.Validation;
using XiaoxiangTracking.Modules.Tracking.Domain;
using XiaoxiangTracking.Modules.Tracking.Ingest;
using XiaoxiangTracking.Modules.Tracking.Persistence;
using XiaoxiangTracking.Modules.Tracking.Settings;

namespace XiaoxiangTracking.Modules.Tracking.Features.IngestPositions;

/// <summary>One GPS fix as the rider app reports it.</summary>
internal record PositionPoint
{
    /// <summary>The app's own id for this fix (sequence number or UUID); a retry carries the same id.</summary>
    /// <example>42017</example>
    [Required]
    public string PointId { get; init; } = null!;

    /// <summary>When the phone took the fix (with offset).</summary>
    /// <example>2026-11-25T10:15:30+08:00</example>
    [Required]
    public DateTimeOffset? FixTime { get; init; }

    /// <summary>WGS 84 latitude.</summary>
    /// <example>31.2304</example>
    [Required]
    public double? Latitude { get; init; }

    /// <summary>WGS 84 longitude.</summary>
    /// <example>121.4737</example>
    [Required]
    public double? Longitude { get; init; }

    /// <summary>Accuracy radius in metres, if the phone reports one.</summary>
    /// <example>8</example>
    public double? Accuracy { get; init; }

    /// <summary>Speed in m/s, if reported.</summary>
    /// <example>5.2</example>
    public double? Speed { get; init; }

    /// <summary>Heading in degrees from north, if reported.</summary>
    /// <example>90</example>
    public double? Heading { get; init; }
}

/// <summary>What happened to one reported fix.</summary>
/// <param name="PointId">The fix's point id.</param>
/// <param name="Outcome"><c>accepted</c> (stored now), <c>duplicate</c> (stored before) or <c>rejected</c> (not stored).</param>
/// <param name="Reason">For rejected fixes: InvalidCoordinates, ZeroCoordinates, FixTimeInFuture, FixTimeTooOld, PoorAccuracy or ImplausibleSpeed.</param>
internal sealed record PositionOutcome(string PointId, string Outcome, string? Reason = null)
{
    public const string Accepted = "accepted";
    public const string Duplicate = "duplicate";
    public const string Rejected = "rejected";
}

/// <summary>The reply to a batch: counts and one outcome per fix, in the order sent. Accepted fixes are committed.</summary>
/// <param name="Accepted">Fixes stored by this request.</param>
/// <param name="Duplicates">Fixes that were already stored (retries, re-sent batches).</param>
/// <param name="Rejected">Fixes refused by a filter.</param>
/// <param name="Results">One outcome per fix, in request order.</param>
internal sealed record IngestReply(int Accepted, int Duplicates, int Rejected, IReadOnlyList<PositionOutcome> Results);

internal sealed record IngestPositions(string RiderId, IReadOnlyList<PositionPoint> Positions) : ICommand<IngestReply>;

internal sealed class IngestPositionsValidator : AbstractValidator<IngestPositions>
{
    public IngestPositionsValidator(IOptions<IngestOptions> options)
    {
        var maxBatch = options.Value.MaxBatchSize;
        RuleFor(c => c.RiderId).IsPartyId();
        RuleFor(c => c.Positions).Cascade(CascadeMode.Stop).NotEmpty()
            .Must(p => p.Count <= maxBatch).WithMessage($"A batch holds at most {maxBatch} positions.");
        RuleForEach(c => c.Positions).NotNull().ChildRules(point =>
        {
            point.RuleFor(p => p.PointId).NotEmpty().MaximumLength(64);
            point.RuleFor(p => p.FixTime).NotNull();
            point.RuleFor(p => p.Latitude).NotNull();
            point.RuleFor(p => p.Longitude).NotNull();
        });
    }
}

/// <summary>
/// Filters each fix against the rider's previous accepted fix (walking the batch in fix-time order, so a batch means
/// the same in any order), hands the survivors to the group-commit writer and replies once they are committed. The
/// request's DbContext is taken only when the database must be read or updated (a rider not seen lately, a rejected
/// fix): the usual report needs none, and building one for every report was a measurable part of its cost.
/// </summary>
internal sealed class IngestPositionsHandler(
    IServiceProvider services,
    PositionWriter writer,
    LatestFixes latest,
    IOptions<PositionFilterOptions> filters,
    TimeProvider clock) : ICommandHandler<IngestPositions, IngestReply>
{
    public async ValueTask<IngestReply> Handle(IngestPositions command, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var points = command.Positions;
        var outcomes = new PositionOutcome[points.Count];
        var inTimeOrder = InTimeOrder(points);

        var first = points[inTimeOrder[0]].FixTime!.Value;
        var previous = latest.TryGetBefore(command.RiderId, first, out var held)
            ? held
            : await PreviousFixAsync(command.RiderId, first, cancellationToken);
        // Repeats within the request: a single report (the usual one) has none to look for.
        var seenPoints = points.Count > 1 ? new HashSet<string>(StringComparer.Ordinal) : null;
        var seenTimes = points.Count > 1 ? new HashSet<DateTimeOffset>() : null;
        var toStore = new RiderPosition[points.Count];
        var storedFrom = new int[points.Count];
        var storing = 0;
        foreach (var i in inTimeOrder)
        {
            var point = points[i];
            var fix = new PositionFix(command.RiderId, point.PointId, point.FixTime!.Value.ToUniversalTime(), point.Latitude!.Value,
                point.Longitude!.Value, point.Accuracy, point.Speed, point.Heading);
            if (seenPoints is not null && (!seenPoints.Add(fix.ClientPointId) | !seenTimes!.Add(fix.FixTime)))
            {
                outcomes[i] = new PositionOutcome(point.PointId, PositionOutcome.Duplicate);
                continue;
            }

            if (PositionFilter.Check(fix, previous, now, filters.Value) is { } reason)
            {
                outcomes[i] = new PositionOutcome(point.PointId, PositionOutcome.Rejected, reason.ToString());
                continue;
            }

            storedFrom[storing] = i;
            toStore[storing++] = new RiderPosition(fix, now);
            previous = fix.Point;
        }

        var stored = await writer.WriteAsync(storing == toStore.Length ? toStore : toStore[..storing], cancellationToken);
        for (var k = 0; k < storing; k++)
        {
            var index = storedFrom[k];
            outcomes[index] = new PositionOutcome(points[index].PointId, stored[k] ? PositionOutcome.Accepted : PositionOutcome.Duplicate);
        }

        var rejected = outcomes.Count(o => o.Outcome == PositionOutcome.Rejected);
        if (rejected > 0)
        {
            // Tracking quality: how much of what the rider's phone sent the filters had to throw away.
            await CountRejectedAsync(command.RiderId, rejected, cancellationToken);
        }

        return new IngestReply(
            outcomes.Count(o => o.Outcome == PositionOutcome.Accepted),
            outcomes.Count(o => o.Outcome == PositionOutcome.Duplicate),
            rejected,
            outcomes);
    }

    /// <summary>Adds <paramref name="rejected"/> to the count of every order the rider is delivering.</summary>
    private async Task CountRejectedAsync(string riderId, int rejected, CancellationToken cancellationToken)
    {
        var delivering = await Database.LiveOrders.AsNoTracking()
            .Where(l => l.RiderId == riderId && l.IsActive && l.Status == Orders.Contracts.OrderStatus.Delivering)
            .Select(l => l.OrderId)
            .ToListAsync(cancellationToken);
        foreach (var orderId in delivering)
        {
            for (var attempt = 1; ; attempt++)
            {
                if (await Database.RejectedFixes.Where(r => r.OrderId == orderId)
                        .ExecuteUpdateAsync(update => update.SetProperty(r => r.Count, r => r.Count + rejected), cancellationToken) > 0)
                {
                    break;
                }

                Database.RejectedFixes.Add(new RejectedFixes(orderId, rejected));
                try
                {
                    await Database.SaveChangesAsync(cancellationToken);
                    break;
                }
                catch (DbUpdateException) when (attempt == 1)
                {
                    // Another report of the rider counted the order's first rejection meanwhile: add to it.
                    Database.ChangeTracker.Clear();
                }
            }
        }
    }

    /// <summary>The points' indexes in fix-time order (by index among equal times), so a batch means the same in any order.</summary>
    private static int[] InTimeOrder(IReadOnlyList<PositionPoint> points)
    {
        var order = new int[points.Count];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        if (order.Length > 1)
        {
            Array.Sort(order, (a, b) => points[a].FixTime!.Value.CompareTo(points[b].FixTime!.Value) is var byTime and not 0 ? byTime : a.CompareTo(b));
        }

        return order;
    }

    private TrackingDbContext Database => services.GetRequiredService<TrackingDbContext>();

    /// <summary>The rider's stored fix nearest before <paramref name="before"/>: what the first fix's speed is judged against.</summary>
    private async Task<FixPoint?> PreviousFixAsync(string riderId, DateTimeOffset before, CancellationToken cancellationToken)
    {
        var stored = await Database.RiderPositions.AsNoTracking()
            .Where(p => p.RiderId == riderId && p.FixTime < before)
            .OrderByDescending(p => p.FixTime)
            .FirstOrDefaultAsync(cancellationToken);
        return stored?.Point;
    }
}
