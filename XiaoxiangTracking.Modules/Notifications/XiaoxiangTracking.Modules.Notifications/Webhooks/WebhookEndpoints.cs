using System.ComponentModel.DataAnnotations;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using XiaoxiangTracking.Modules.Notifications.Persistence;
using XiaoxiangTracking.Modules.Shared.Errors;
using XiaoxiangTracking.Modules.Shared.Security;
using XiaoxiangTracking.Modules.Notifications.Domain;

namespace XiaoxiangTracking.Modules.Notifications.Webhooks;

/// <summary>An integrator's endpoint to be called back.</summary>
internal sealed record RegisterWebhookRequest
{
    /// <summary>Absolute http(s) URL that receives a POST per event.</summary>
    /// <example>https://erp.example.com/hooks/xiaoxiang</example>
    [Required]
    public string Url { get; init; } = null!;

    /// <summary>Events to receive: order.placed, order.paid, order.picked, order.delivered, order.cancelled, rider.assigned.</summary>
    /// <example>["order.paid", "order.delivered"]</example>
    [Required]
    public IReadOnlyList<string> EventTypes { get; init; } = null!;

    /// <summary>Signing secret (16–128 characters); omit to have one generated. Returned only in this response.</summary>
    public string? Secret { get; init; }
}

/// <summary>A registered webhook.</summary>
/// <param name="Id">The subscription id.</param>
/// <param name="Url">Where deliveries are POSTed.</param>
/// <param name="EventTypes">The events it receives.</param>
/// <param name="Active">False once deleted.</param>
/// <param name="CreatedAt">When it was registered.</param>
/// <param name="Secret">The signing secret: only in the reply to the registration.</param>
internal sealed record WebhookResponse(string Id, string Url, IReadOnlyList<string> EventTypes, bool Active, DateTimeOffset CreatedAt, string? Secret)
{
    public static WebhookResponse Of(WebhookSubscription subscription, bool withSecret = false) =>
        new(subscription.Id, subscription.Url, subscription.EventTypeList, subscription.Active, subscription.CreatedAt,
            withSecret ? subscription.Secret : null);
}

/// <summary>One delivery of one event with its attempts.</summary>
/// <param name="Id">The delivery id (also the X-Xiaoxiang-Delivery header and the payload's id).</param>
/// <param name="EventType">The event.</param>
/// <param name="Status">Pending, Succeeded or Failed.</param>
/// <param name="CreatedAt">When the event was queued.</param>
/// <param name="NextAttemptAt">When it is tried next (pending only).</param>
/// <param name="DeliveredAt">When the endpoint accepted it.</param>
/// <param name="Payload">The JSON body as signed and sent.</param>
/// <param name="Attempts">Every attempt: number, time, HTTP status or error, duration.</param>
internal sealed record WebhookDeliveryResponse(
    string Id,
    string EventType,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? DeliveredAt,
    string Payload,
    IReadOnlyList<WebhookAttempt> Attempts);

internal sealed record RegisterWebhook(string Url, IReadOnlyList<string> EventTypes, string? Secret) : ICommand<WebhookResponse>;

internal sealed class RegisterWebhookValidator : AbstractValidator<RegisterWebhook>
{
    public RegisterWebhookValidator()
    {
        RuleFor(r => r.Url).NotEmpty().MaximumLength(2048)
            .Must(url => Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp))
            .WithMessage("'url' must be an absolute http or https URL.");
        RuleFor(r => r.EventTypes).NotEmpty();
        RuleForEach(r => r.EventTypes).Must(WebhookEventTypes.All.Contains)
            .WithMessage($"Each event type must be one of {string.Join(", ", WebhookEventTypes.All)}.");
        RuleFor(r => r.Secret!).Length(16, 128).When(r => r.Secret is not null);
    }
}

internal sealed class RegisterWebhookHandler(NotificationsDbContext db, TimeProvider clock) : ICommandHandler<RegisterWebhook, WebhookResponse>
{
    public async ValueTask<WebhookResponse> Handle(RegisterWebhook command, CancellationToken cancellationToken)
    {
        var subscription = WebhookSubscription.Register(new Uri(command.Url), command.EventTypes, command.Secret, clock.GetUtcNow());
        db.WebhookSubscriptions.Add(subscription);
        await db.SaveChangesAsync(cancellationToken);
        return WebhookResponse.Of(subscription, withSecret: true);
    }
}

internal sealed record ListWebhooks : IQuery<IReadOnlyList<WebhookResponse>>;

internal sealed class ListWebhooksHandler(NotificationsDbContext db) : IQueryHandler<ListWebhooks, IReadOnlyList<WebhookResponse>>
{
    public async ValueTask<IReadOnlyList<WebhookResponse>> Handle(ListWebhooks query, CancellationToken cancellationToken) =>
        [.. (await db.WebhookSubscriptions.AsNoTracking().Where(s => s.Active).OrderBy(s => s.CreatedAt).ToListAsync(cancellationToken))
            .Select(s => WebhookResponse.Of(s))];
}

internal sealed record DeleteWebhook(string Id) : ICommand<Unit>;

internal sealed class DeleteWebhookHandler(NotificationsDbContext db) : ICommandHandler<DeleteWebhook, Unit>
{
    public async ValueTask<Unit> Handle(DeleteWebhook command, CancellationToken cancellationToken)
    {
        var subscription = await db.WebhookSubscriptions.SingleOrDefaultAsync(s => s.Id == command.Id && s.Active, cancellationToken)
            ?? throw new NotFoundException("Webhook", command.Id);
        subscription.Deactivate();
        await db.SaveChangesAsync(cancellationToken);
        return Unit.Value;
    }
}

internal sealed record ListWebhookDeliveries(string Id, int Limit) : IQuery<IReadOnlyList<WebhookDeliveryResponse>>;

internal sealed class ListWebhookDeliveriesValidator : AbstractValidator<ListWebhookDeliveries>
{
    public ListWebhookDeliveriesValidator() => RuleFor(q => q.Limit).InclusiveBetween(1, 200);
}

internal sealed class ListWebhookDeliveriesHandler(NotificationsDbContext db)
    : IQueryHandler<ListWebhookDeliveries, IReadOnlyList<WebhookDeliveryResponse>>
{
    public async ValueTask<IReadOnlyList<WebhookDeliveryResponse>> Handle(ListWebhookDeliveries query, CancellationToken cancellationToken)
    {
        if (!await db.WebhookSubscriptions.AnyAsync(s => s.Id == query.Id, cancellationToken))
        {
            throw new NotFoundException("Webhook", query.Id);
        }

        var deliveries = await db.WebhookDeliveries.AsNoTracking()
            .Where(d => d.SubscriptionId == query.Id)
            .OrderByDescending(d => d.CreatedAt)
            .Take(query.Limit)
            .ToListAsync(cancellationToken);
        return [.. deliveries.Select(d => new WebhookDeliveryResponse(d.Id, d.EventType, d.Status.ToString(), d.CreatedAt, d.NextAttemptAt,
            d.DeliveredAt, d.Payload, [.. d.Attempts.OrderBy(a => a.Number)]))];
    }
}

internal static class WebhookEndpoints
{
    public static void MapWebhooks(this IEndpointRouteBuilder endpoints)
    {
        var webhooks = endpoints.MapGroup("/api/webhooks").WithTags("Webhooks").RequireAuthorization(Policies.Ops);
        webhooks.MapPost("/", async (RegisterWebhookRequest request, ISender sender, CancellationToken cancellationToken) =>
            {
                var created = await sender.Send(new RegisterWebhook(request.Url, request.EventTypes, request.Secret), cancellationToken);
                return TypedResults.Created($"/api/webhooks/{created.Id}", created);
            })
            .WithName("RegisterWebhook")
            .WithSummary("Integrators: register an endpoint for event types")
            .WithDescription("Each event is POSTed as JSON, signed: X-Xiaoxiang-Signature = sha256=hex(HMAC-SHA256(secret, "
                + "X-Xiaoxiang-Timestamp + \".\" + body)). Failed deliveries are retried with exponential back-off.")
            .ProducesValidationProblem();
        webhooks.MapGet("/", async (ISender sender, CancellationToken cancellationToken) =>
                TypedResults.Ok(await sender.Send(new ListWebhooks(), cancellationToken)))
            .WithName("ListWebhooks")
            .WithSummary("Integrators: the registered webhooks");
        webhooks.MapDelete("/{id}", async (string id, ISender sender, CancellationToken cancellationToken) =>
            {
                await sender.Send(new DeleteWebhook(id), cancellationToken);
                return TypedResults.NoContent();
            })
            .WithName("DeleteWebhook")
            .WithSummary("Integrators: stop a webhook (its delivery history stays readable)")
            .ProducesProblem(StatusCodes.Status404NotFound);
        webhooks.MapGet("/{id}/deliveries", async (string id, int? limit, ISender sender, CancellationToken cancellationToken) =>
                TypedResults.Ok(await sender.Send(new ListWebhookDeliveries(id, limit ?? 50), cancellationToken)))
            .WithName("ListWebhookDeliveries")
            .WithSummary("Integrators: a webhook's deliveries, newest first, with every attempt")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
    }
}
