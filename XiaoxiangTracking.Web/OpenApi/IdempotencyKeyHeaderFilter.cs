using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;
using XiaoxiangTracking.Modules.Shared.Idempotency;

namespace XiaoxiangTracking.Web.OpenApi;

/// <summary>Documents the optional <c>Idempotency-Key</c> header on the endpoints that honour it.</summary>
internal sealed class IdempotencyKeyHeaderFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (!context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<IdempotentEndpointMetadata>().Any())
        {
            return;
        }

        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = IdempotencyOptions.HeaderName,
            In = ParameterLocation.Header,
            Required = false,
            Description = "Client-chosen unique key (up to 100 characters). A retry with the same key and body returns "
                + "the first response; the same key with a different body is 422; a retry while the first is still "
                + "running is 409.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = IdempotencyOptions.MaxKeyLength },
            Example = System.Text.Json.Nodes.JsonValue.Create("3f0c2a9e-6d41-4f7e-9a55-0b9b5c1d2e7f"),
        });
    }
}
