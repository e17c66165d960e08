using FluentValidation;

namespace XiaoxiangTracking.Modules.Orders.Features;

/// <summary>Field rules used by more than one use case.</summary>
internal static class OrderRules
{
    public const int IdLength = 32;

    public static IRuleBuilderOptions<T, string> IsPartyId<T>(this IRuleBuilder<T, string> rule) =>
        rule.NotEmpty().MaximumLength(IdLength).Matches("^[A-Za-z0-9_-]+$")
            .WithMessage("'{PropertyName}' may contain only letters, digits, '_' and '-'.");

    public static IRuleBuilderOptions<T, double> IsLatitude<T>(this IRuleBuilder<T, double> rule) =>
        rule.Must(double.IsFinite).WithMessage("'{PropertyName}' must be a number.")
            .InclusiveBetween(-90, 90);

    public static IRuleBuilderOptions<T, double> IsLongitude<T>(this IRuleBuilder<T, double> rule) =>
        rule.Must(double.IsFinite).WithMessage("'{PropertyName}' must be a number.")
            .InclusiveBetween(-180, 180);
}
