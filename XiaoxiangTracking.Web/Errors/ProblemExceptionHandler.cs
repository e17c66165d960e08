using System.Text.Json;
using System.Text.RegularExpressions;
using FluentValidation;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using XiaoxiangTracking.Modules.Shared.Errors;
using XiaoxiangTracking.Modules.Shared.Idempotency;

namespace XiaoxiangTracking.Web.Errors;

/// <summary>
/// The one place errors become responses: RFC 7807 problem+json through <see cref="IProblemDetailsService"/>.
/// Validation 400 (with field errors), acting as someone else 403, not found 404, rule violation or lost race 409, reused idempotency key 422,
/// anything else 500 without internals.
/// </summary>
internal sealed partial class ProblemExceptionHandler(
    IProblemDetailsService problemDetails,
    ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            ValidationException validation => new HttpValidationProblemDetails(FieldErrors(validation))
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "One or more fields are invalid.",
            },
            BadHttpRequestException { InnerException: JsonException json } => new HttpValidationProblemDetails(
                new Dictionary<string, string[]> { [JsonFieldName(json.Path)] = [JsonFieldError(json)] })
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "The request body could not be read.",
            },
            // Reading the body failed in the server (too large, too slow): its status, not a generic 400.
            BadHttpRequestException { InnerException: BadHttpRequestException server } => new ProblemDetails
            {
                Status = server.StatusCode,
                Title = "The request could not be read.",
                Detail = server.Message,
            },
            BadHttpRequestException badRequest when BoundParameter(badRequest.Message) is { } parameter => new HttpValidationProblemDetails(
                new Dictionary<string, string[]> { [parameter] = ["The value is not valid for this parameter."] })
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "One or more fields are invalid.",
            },
            BadHttpRequestException badRequest => new ProblemDetails
            {
                Status = badRequest.StatusCode,
                Title = "The request could not be read.",
                Detail = badRequest.Message,
            },
            ForbiddenException forbidden => new ProblemDetails
            {
                Status = StatusCodes.Status403Forbidden,
                Title = "Forbidden.",
                Detail = forbidden.Message,
            },
            NotFoundException notFound => new ProblemDetails
            {
                Status = StatusCodes.Status404NotFound,
                Title = $"{notFound.Resource} not found.",
                Detail = notFound.Message,
            },
            RuleViolationException rule => WithExtensions(
                new ProblemDetails { Status = StatusCodes.Status409Conflict, Title = "The request is not allowed in the current state.", Detail = rule.Message },
                rule.Code,
                rule.Details),
            ConflictException conflict => WithExtensions(
                new ProblemDetails { Status = StatusCodes.Status409Conflict, Title = "Conflict.", Detail = conflict.Message },
                conflict.Code),
            DbUpdateConcurrencyException => WithExtensions(
                new ProblemDetails
                {
                    Status = StatusCodes.Status409Conflict,
                    Title = "Conflict.",
                    Detail = "The resource was changed by another request at the same time; reload it and retry.",
                },
                "concurrent_modification"),
            ServiceUnavailableException unavailable => WithExtensions(
                new ProblemDetails { Status = StatusCodes.Status503ServiceUnavailable, Title = "Service busy.", Detail = unavailable.Message },
                "service_unavailable"),
            IdempotencyKeyReusedException reused => WithExtensions(
                new ProblemDetails { Status = StatusCodes.Status422UnprocessableEntity, Title = "Idempotency key reused.", Detail = reused.Message },
                "idempotency_key_reused"),
            _ => null,
        };

        if (problem is null)
        {
            logger.LogError(exception, "Unhandled error on {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path);
            problem = new ProblemDetails
            {
                Status = StatusCodes.Status500InternalServerError,
                Title = "An unexpected error occurred.",
            };
        }

        httpContext.Response.StatusCode = problem.Status!.Value;
        if (exception is ServiceUnavailableException { RetryAfter: var retryAfter })
        {
            httpContext.Response.Headers.RetryAfter = Math.Ceiling(retryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    private static ProblemDetails WithExtensions(ProblemDetails problem, string code, IReadOnlyDictionary<string, object?>? details = null)
    {
        problem.Extensions["code"] = code;
        foreach (var (name, value) in details ?? new Dictionary<string, object?>())
        {
            problem.Extensions[name] = value;
        }

        return problem;
    }

    private static Dictionary<string, string[]> FieldErrors(ValidationException validation) =>
        validation.Errors
            .GroupBy(e => FieldName(e.PropertyName))
            .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).Distinct().ToArray());

    /// <summary><c>Lines[0].UnitPrice</c> → <c>lines[0].unitPrice</c>, matching the JSON the client sent.</summary>
    internal static string FieldName(string propertyName) =>
        propertyName.Contains('-', StringComparison.Ordinal)
            ? propertyName
            : string.Join('.', propertyName.Split('.').Select(JsonNamingPolicy.CamelCase.ConvertName));

    // System.Text.Json's message for a field the request type does not define (UnmappedMemberHandling.Disallow).
    private static string JsonFieldError(JsonException json) =>
        json.Message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal)
            ? "This request has no such field."
            : "The value is not valid JSON for this field.";

    // The framework's message when a route or query value does not parse as its parameter's type:
    // Failed to bind parameter "int? pageSize" from "abc".
    private static string? BoundParameter(string message) =>
        BindFailure().Match(message) is { Success: true } match ? match.Groups["name"].Value : null;

    [GeneratedRegex("""^Failed to bind parameter "[^"]* (?<name>[A-Za-z0-9_]+)" from """)]
    private static partial Regex BindFailure();

    private static string JsonFieldName(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "body" : path.TrimStart('$', '.');
}
