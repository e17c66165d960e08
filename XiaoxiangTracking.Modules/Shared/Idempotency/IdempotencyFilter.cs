using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using XiaoxiangTracking.Modules.Shared.Errors;

namespace XiaoxiangTracking.Modules.Shared.Idempotency;

/// <summary>
/// Honours the <c>Idempotency-Key</c> header: a retry with the same key and request gets the first (successful)
/// response again; the same key with a different request is 422. The key, the change the request makes and the reply
/// stored for retries commit in one transaction of the module's database: a request that fails or whose process dies
/// leaves nothing behind, so its retry runs afresh, and a retry arriving while the first still runs waits for it and
/// then gets its reply.
/// </summary>
internal sealed class IdempotencyFilter<TContext>(IOptions<IdempotencyOptions> options, TimeProvider clock) : IEndpointFilter
    where TContext : DbContext
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!http.Request.Headers.TryGetValue(IdempotencyOptions.HeaderName, out var values))
        {
            return await next(context);
        }

        var key = values.ToString().Trim();
        if (key.Length is 0 or > IdempotencyOptions.MaxKeyLength || values.Count > 1)
        {
            throw new FluentValidation.ValidationException(
                [new FluentValidation.Results.ValidationFailure(IdempotencyOptions.HeaderName,
                    $"'{IdempotencyOptions.HeaderName}' must be a single value of 1 to {IdempotencyOptions.MaxKeyLength} characters.")]);
        }

        var hash = RequestHash(context);
        // The request's own context: the handler's SaveChanges joins this transaction (on SQLite it holds the write
        // lock from the start, so a concurrent retry of the same key waits here).
        var db = http.RequestServices.GetRequiredService<TContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(http.RequestAborted);
        var (record, replay) = await ClaimAsync(db, key, hash, http.RequestAborted);
        if (replay)
        {
            return new ReplayedResult(record);
        }

        var result = await next(context);
        if (result is not IResult executable)
        {
            await transaction.CommitAsync(http.RequestAborted);
            return result;
        }

        // Run the result into a buffer so that exactly the bytes the client receives are stored for replay.
        var original = http.Response.Body;
        using var buffer = new MemoryStream();
        http.Response.Body = buffer;
        try
        {
            await executable.ExecuteAsync(http);
        }
        finally
        {
            http.Response.Body = original;
        }

        var body = buffer.ToArray();
        if (http.Response.StatusCode is >= 200 and < 300)
        {
            record.CompletedAt = clock.GetUtcNow();
            record.StatusCode = http.Response.StatusCode;
            record.ContentType = http.Response.ContentType;
            record.Location = http.Response.Headers.Location.ToString();
            record.ResponseBody = body;
            await db.SaveChangesAsync(CancellationToken.None);
            await transaction.CommitAsync(CancellationToken.None);
        }

        // A failed request changed nothing: disposing the transaction rolls the claim back with it.
        await original.WriteAsync(body, http.RequestAborted);
        return Results.Empty;
    }

    private static string RequestHash(EndpointFilterInvocationContext context)
    {
        var request = context.HttpContext.Request;
        var bodyType = context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType;
        var body = bodyType is null ? null : context.Arguments.FirstOrDefault(a => a?.GetType() == bodyType);
        // The caller is part of the request: another caller's retry with the same key never replays this response.
        var caller = context.HttpContext.User.FindFirst(Security.ClaimNames.Subject)?.Value;
        var canonical = $"{caller}\n{request.Method}\n{request.Path}\n{request.QueryString}\n" +
            (body is null ? string.Empty : JsonSerializer.Serialize(body, body.GetType(), JsonSerializerOptions.Web));
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    /// <summary>
    /// Claims the key inside the transaction: the new claim, or the stored record to replay when the key was used before.
    /// </summary>
    private async Task<(IdempotencyRecord Record, bool Replay)> ClaimAsync(TContext db, string key, string hash, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var record = await db.Set<IdempotencyRecord>().SingleOrDefaultAsync(r => r.Key == key, cancellationToken);
        // Only completed records are ever committed; one without a reply was left by an older version of the service.
        if (record is not null && (record.CompletedAt is null || record.CreatedAt + options.Value.RetainFor < now))
        {
            db.Remove(record);
            await db.SaveChangesAsync(cancellationToken);
            record = null;
        }

        if (record is not null)
        {
            return string.Equals(record.RequestHash, hash, StringComparison.Ordinal)
                ? (record, true)
                : throw new IdempotencyKeyReusedException(key);
        }

        var claim = new IdempotencyRecord { Key = key, RequestHash = hash, CreatedAt = now };
        db.Add(claim);
        await db.SaveChangesAsync(cancellationToken);
        return (claim, false);
    }

    private sealed class ReplayedResult(IdempotencyRecord record) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = record.StatusCode ?? StatusCodes.Status200OK;
            response.Headers[IdempotencyOptions.ReplayedHeaderName] = "true";
            if (!string.IsNullOrEmpty(record.Location))
            {
                response.Headers.Location = record.Location;
            }

            if (record.ResponseBody is { Length: > 0 } body)
            {
                response.ContentType = record.ContentType;
                await response.Body.WriteAsync(body, httpContext.RequestAborted);
            }
        }
    }
}

/// <summary>The key was first used for a different request. Answered with 422.</summary>
public sealed class IdempotencyKeyReusedException(string key)
    : Exception($"Idempotency-Key '{key}' was already used for a different request.")
{
    public string Key { get; } = key;
}

/// <summary>Marks an endpoint as honouring <c>Idempotency-Key</c> (read by the OpenAPI document).</summary>
public sealed class IdempotentEndpointMetadata;

public static class IdempotencyEndpointExtensions
{
    /// <summary>Makes the endpoint honour <c>Idempotency-Key</c>, remembering keys in <typeparamref name="TContext"/>.</summary>
    public static RouteHandlerBuilder WithIdempotency<TContext>(this RouteHandlerBuilder builder)
        where TContext : DbContext =>
        builder
            .AddEndpointFilter<IdempotencyFilter<TContext>>()
            .WithMetadata(new IdempotentEndpointMetadata())
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

    /// <summary>Registers the idempotency options (keys are stored by each module in its own context).</summary>
    public static IServiceCollection AddIdempotencyKeys(
        this IServiceCollection services,
        Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        services.AddValidatedOptions<IdempotencyOptions>(configuration, IdempotencyOptions.SectionName);
        return services;
    }
}
