using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace XiaoxiangTracking.Web.OpenApi;

/// <summary>
/// Trajectories are returned as GeoJSON (RFC 7946) by NetTopologySuite's converter; document that wire shape, not
/// the library's object model.
/// </summary>
internal static class GeoJsonSchemas
{
    public static void MapGeoJson(this SwaggerGenOptions options) =>
        options.MapType<NetTopologySuite.Features.Feature>(() => new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "GeoJSON Feature (RFC 7946). geometry is a LineString of [longitude, latitude] positions (a Point "
                + "for a single fix, null before hand-over); properties.times holds the fix time of each position.",
            Required = new HashSet<string> { "type", "geometry", "properties" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [System.Text.Json.Nodes.JsonValue.Create("Feature")] },
                ["geometry"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object | JsonSchemaType.Null,
                    Properties = new Dictionary<string, IOpenApiSchema>
                    {
                        ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "LineString or Point" },
                        ["coordinates"] = new OpenApiSchema { Type = JsonSchemaType.Array, Description = "[longitude, latitude] positions" },
                    },
                },
                ["properties"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Properties = new Dictionary<string, IOpenApiSchema>
                    {
                        ["orderId"] = new OpenApiSchema { Type = JsonSchemaType.String },
                        ["riderId"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
                        ["toleranceMeters"] = new OpenApiSchema { Type = JsonSchemaType.Number },
                        ["times"] = new OpenApiSchema
                        {
                            Type = JsonSchemaType.Array,
                            Items = new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time" },
                        },
                        ["recordedPoints"] = new OpenApiSchema { Type = JsonSchemaType.Integer },
                    },
                },
            },
        });
}
