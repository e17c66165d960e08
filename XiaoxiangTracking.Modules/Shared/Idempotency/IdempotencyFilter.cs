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
/// response again; the same key with a different request is 422; a retry while the first is still running is 409.
/// Failed requests change no state, so their key is released and a retry runs again.
/// </summary>
internal sealed class IdempotencyFilter<TContext>(
    IServiceScopeFactory scopes,
    IOptions<IdempotencyOptions> options,
    TimeProvider clock) : IEndpointFilter
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
        var existing = await ClaimAsync(key, hash, http.RequestAborted);
        if (existing is not null)
        {
            return new ReplayedResult(existing);
        }

        object? result;
        try
        {
            result = await next(context);
        }
        catch
        {
            await ReleaseAsync(key);
            throw;
        }

        if (result is not IResult executable)
        {
            await ReleaseAsync(key);
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
            await CompleteAsync(key, http.Response, body);
        }
        else
        {
            await ReleaseAsync(key);
        }

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

    /// <summary>Claims the key for this request; returns the stored record when the key was used before.</summary>
    private async Task<IdempotencyRecord?> ClaimAsync(string key, string hash, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        for (var attempt = 0; attempt < 2; attempt++)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TContext>();
            var now = clock.GetUtcNow();
            var record = await db.Set<IdempotencyRecord>().SingleOrDefaultAsync(r => r.Key == key, cancellationToken);
            if (record is not null)
            {
                var expired = record.CreatedAt + settings.RetainFor < now;
                var abandoned = record.CompletedAt is null && record.CreatedAt + settings.AbandonedAfter < now;
                if (!expired && !abandoned)
                {
                    if (!string.Equals(record.RequestHash, hash, StringComparison.Ordinal))
                    {
                        throw new IdempotencyKeyReusedException(key);
                    }

                    return record.CompletedAt is not null
                        ? record
                        : throw new ConflictException("request_in_progress",
                            $"A request with Idempotency-Key '{key}' is still being processed; retry shortly.");
                }

                db.Remove(record);
                await db.SaveChangesAsync(cancellationToken);
                continue;
            }

            db.Add(new IdempotencyRecord { Key = key, RequestHash = hash, CreatedAt = now });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return null;
            }
            catch (DbUpdateException)
            {
                // A concurrent request claimed the key first: look again.
            }
        }

        throw new ConflictException("request_in_progress",
            $"A request with Idempotency-Key '{key}' is still being processed; retry shortly.");
    }

    private async Task CompleteAsync(string key, HttpResponse response, byte[] body)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        await db.Set<IdempotencyRecord>()
            .Where(r => r.Key == key)
            .ExecuteUpdateAsync(set => set
                .SetProperty(r => r.CompletedAt, clock.GetUtcNow())
                .SetProperty(r => r.StatusCode, response.StatusCode)
                .SetProperty(r => r.ContentType, response.ContentType)
                .SetProperty(r => r.Location, response.Headers.Location.ToString())
                .SetProperty(r => r.ResponseBody, body));
    }

    private async Task ReleaseAsync(string key)
    {
        // Not tied to the request's token: the key must be released even when the client went away.
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        await db.Set<IdempotencyRecord>().Where(r => r.Key == key && r.CompletedAt == null).ExecuteDeleteAsync();
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
