using System.Text.RegularExpressions;
using FluentValidation;

namespace XiaoxiangTracking.Modules.Shared.Validation;

/// <summary>Field rules shared by the modules' validators.</summary>
public static partial class FieldRules
{
    /// <summary>Ids of customers, riders and warehouses: up to 32 characters (seed: VARCHAR(32)).</summary>
    public const int PartyIdLength = 32;

    /// <remarks>Stops at the first failure: an empty id is "must not be empty", not also "may contain only".</remarks>
    public static IRuleBuilderOptions<T, string> IsPartyId<T>(this IRuleBuilderInitial<T, string> rule) =>
        rule.Cascade(CascadeMode.Stop).NotEmpty().MaximumLength(PartyIdLength).Matches(PartyIdCharacters())
            .WithMessage("'{PropertyName}' may contain only letters, digits, '_' and '-'.");

    /// <summary>A WGS 84 latitude that must be given (a required request field, nullable so that "left out" is not 0).</summary>
    public static IRuleBuilderOptions<T, double?> IsLatitude<T>(this IRuleBuilderInitial<T, double?> rule) =>
        rule.Cascade(CascadeMode.Stop).NotNull().Must(v => v is { } value && double.IsFinite(value)).WithMessage("'{PropertyName}' must be a number.").InclusiveBetween(-90, 90);

    /// <summary>A WGS 84 longitude that must be given.</summary>
    public static IRuleBuilderOptions<T, double?> IsLongitude<T>(this IRuleBuilderInitial<T, double?> rule) =>
        rule.Cascade(CascadeMode.Stop).NotNull().Must(v => v is { } value && double.IsFinite(value)).WithMessage("'{PropertyName}' must be a number.").InclusiveBetween(-180, 180);

    // Ends at \z: $ would also match before a final line break ("rider-1\n"). Checked on every position report, so
    // generated at build time.
    [GeneratedRegex(@"^[A-Za-z0-9_-]+\z")]
    private static partial Regex PartyIdCharacters();
}
