using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace XiaoxiangTracking.Modules.Shared.Persistence;

/// <summary>
/// SQLite has no date type and EF cannot compare or order <see cref="DateTimeOffset"/> stored as text there, so on
/// SQLite every timestamp is stored as UTC ticks (an INTEGER that sorts and compares correctly).
/// </summary>
public sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
    value => value.UtcTicks,
    ticks => new DateTimeOffset(ticks, TimeSpan.Zero));
