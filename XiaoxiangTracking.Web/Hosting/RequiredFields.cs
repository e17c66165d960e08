using System.Collections;
using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Linq.Expressions;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using FluentValidation.Results;
using XiaoxiangTracking.Web.Errors;

namespace XiaoxiangTracking.Web.Hosting;

/// <summary>
/// Required means required: a request field marked <see cref="RequiredAttribute"/> (which is also what marks it
/// <c>required</c> in the OpenAPI document) that the client left out or sent as <c>null</c> is a 400 keyed by the field
/// as the client named it (<c>deliveryAddress.latitude</c>, <c>positions[3].fixTime</c>) — never a default such as 0
/// handed on. Value-typed required fields are declared nullable so that "left out" can be told from 0. A value of the
/// wrong JSON type never gets this far: the body reader refuses it, keyed the same way.
/// </summary>
internal static class RequiredFields
{
    private static readonly ConcurrentDictionary<Type, Shape?> Shapes = new();

    /// <summary>Checks the required fields of every body an endpoint of <paramref name="builder"/> binds, before it runs.</summary>
    public static TBuilder RequireDeclaredFields<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilterFactory((context, next) =>
        {
            var checks = context.MethodInfo.GetParameters()
                .Select((parameter, index) => (Index: index, Type: parameter.ParameterType, Shape: ShapeOf(parameter.ParameterType)))
                .Where(c => c.Shape is not null)
                .ToArray();
            if (checks.Length == 0)
            {
                return next;
            }

            return async invocation =>
            {
                List<ValidationFailure>? missing = null;
                foreach (var (index, _, shape) in checks)
                {
                    if (invocation.Arguments[index] is { } argument)
                    {
                        shape!.Collect(argument, string.Empty, ref missing);
                    }
                }

                if (missing is not null)
                {
                    // One answer with every error: what is missing, and what the body's own validators (where it has
                    // any) find wrong with the rest.
                    foreach (var (index, type, _) in checks)
                    {
                        missing.AddRange(await OtherErrorsAsync(invocation, invocation.Arguments[index], type, missing));
                    }

                    throw new FluentValidation.ValidationException(missing);
                }

                return await next(invocation);
            };
        });

    private static async Task<IEnumerable<ValidationFailure>> OtherErrorsAsync(
        EndpointFilterInvocationContext invocation, object? argument, Type type, List<ValidationFailure> missing)
    {
        if (argument is null)
        {
            return [];
        }

        var validators = (IEnumerable<FluentValidation.IValidator>)invocation.HttpContext.RequestServices
            .GetServices(typeof(FluentValidation.IValidator<>).MakeGenericType(type));
        var keys = missing.Select(m => m.PropertyName).ToHashSet(StringComparer.Ordinal);
        var found = new List<ValidationFailure>();
        foreach (var validator in validators)
        {
            var result = await validator.ValidateAsync(new FluentValidation.ValidationContext<object>(argument), invocation.HttpContext.RequestAborted);
            found.AddRange(result.Errors.Where(e => !keys.Contains(ProblemExceptionHandler.FieldName(e.PropertyName))));
        }

        return found;
    }

    /// <summary>The fields to check in one of the API's request types; null for any other type or one without required fields.</summary>
    private static Shape? ShapeOf(Type type)
    {
        if (!type.IsClass || type.Assembly.GetName().Name?.StartsWith("XiaoxiangTracking.", StringComparison.Ordinal) != true)
        {
            return null;
        }

        if (Shapes.TryGetValue(type, out var known))
        {
            return known;
        }

        Shapes[type] = null; // a type that contains itself is checked one level deep
        var fields = new List<Field>();
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetMethod is not null && p.GetIndexParameters().Length == 0))
        {
            var required = property.GetCustomAttribute<RequiredAttribute>() is not null;
            var elementType = ElementType(property.PropertyType);
            var nested = ShapeOf(elementType ?? property.PropertyType);
            if (required || nested is not null)
            {
                fields.Add(new Field(JsonName(property), Getter(type, property), required, elementType is not null, nested));
            }
        }

        var shape = fields.Count == 0 ? null : new Shape([.. fields]);
        Shapes[type] = shape;
        return shape;
    }

    private static Type? ElementType(Type type) =>
        type == typeof(string) ? null
        : type.IsArray ? type.GetElementType()
        : type.GetInterfaces().Append(type)
            .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];

    private static string JsonName(PropertyInfo property) =>
        property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(property.Name);

    private static Func<object, object?> Getter(Type type, PropertyInfo property)
    {
        var instance = Expression.Parameter(typeof(object));
        return Expression.Lambda<Func<object, object?>>(
            Expression.Convert(Expression.Property(Expression.Convert(instance, type), property), typeof(object)), instance).Compile();
    }

    private sealed record Field(string Name, Func<object, object?> Get, bool Required, bool IsList, Shape? Nested);

    private sealed record Shape(Field[] Fields)
    {
        public void Collect(object value, string prefix, ref List<ValidationFailure>? missing)
        {
            foreach (var field in Fields)
            {
                var path = prefix + field.Name;
                var fieldValue = field.Get(value);
                if (fieldValue is null)
                {
                    if (field.Required)
                    {
                        (missing ??= []).Add(new ValidationFailure(path, $"'{field.Name}' is required."));
                    }
                }
                else if (field.IsList)
                {
                    var index = 0;
                    foreach (var element in (IEnumerable)fieldValue)
                    {
                        var elementPath = $"{path}[{index++}]";
                        if (element is null)
                        {
                            (missing ??= []).Add(new ValidationFailure(elementPath, $"'{field.Name}' may not hold null."));
                        }
                        else
                        {
                            field.Nested?.Collect(element, elementPath + ".", ref missing);
                        }
                    }
                }
                else
                {
                    field.Nested?.Collect(fieldValue, path + ".", ref missing);
                }
            }
        }
    }
}
