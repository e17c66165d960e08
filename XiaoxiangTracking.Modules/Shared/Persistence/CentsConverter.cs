using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace XiaoxiangTracking.Modules.Shared.Persistence;

/// <summary>
/// SQLite has no decimal type (EF would store text that can neither be summed nor compared in SQL), so on SQLite
/// money is stored as whole cents in an INTEGER. Multiplying by 0.01m keeps two decimals on the way back (6.50, not 6.5).
/// </summary>
public sealed class CentsConverter() : ValueConverter<decimal, long>(
    value => (long)decimal.Round(value * 100m, 0, MidpointRounding.ToEven),
    cents => cents * 0.01m);
