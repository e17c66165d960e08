using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;
using XiaoxiangTracking.Modules.Shared.Idempotency;

namespace XiaoxiangTracking.Web.OpenApi;

/// <summary>
/// The errors every route can answer because of what stands in front of it, documented from its metadata so they
/// cannot drift from the pipeline: 401 and 403 for routes that need a token (anonymous routes show no lock), 400 for
/// routes that read a body or a query, 422 for a reused <c>Idempotency-Key</c>, and 429 everywhere (callers without a
/// valid token are limited per address). Each as problem+json. What a route's own handler answers (404, 409, …) it
/// declares itself.
/// </summary>
internal sealed class ProblemResponsesFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
        operation.Responses ??= [];
        if (metadata.OfType<IAllowAnonymous>().Any())
        {
            operation.Security = [];
        }
        else
        {
            Add(operation, context, StatusCodes.Status401Unauthorized, "No valid bearer token.");
            Add(operation, context, StatusCodes.Status403Forbidden, "The token's role may not do this, or not for this order or party.");
        }

        if (context.ApiDescription.ParameterDescriptions.Any(p => p.Source == BindingSource.Body || p.Source == BindingSource.Query))
        {
            Add(operation, context, StatusCodes.Status400BadRequest, "A field is missing, of the wrong type or invalid (errors keyed by field).", typeof(HttpValidationProblemDetails));
        }

        if (metadata.OfType<IdempotentEndpointMetadata>().Any())
        {
            Add(operation, context, StatusCodes.Status422UnprocessableEntity, "The Idempotency-Key was used before with a different request.");
        }

        Add(operation, context, StatusCodes.Status429TooManyRequests, "Over a rate limit; Retry-After says when to try again.");
    }

    private static void Add(OpenApiOperation operation, OperationFilterContext context, int status, string description, Type? schema = null)
    {
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (operation.Responses!.ContainsKey(key))
        {
            return;
        }

        operation.Responses[key] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/problem+json"] = new() { Schema = context.SchemaGenerator.GenerateSchema(schema ?? typeof(ProblemDetails), context.SchemaRepository) },
            },
        };
    }
}
