using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace XiaoxiangTracking.Modules.Shared.Persistence;

/// <summary>Column names in snake_case, as in the seed schema (<c>order_id</c>, <c>create_time</c>, ...).</summary>
public static class SnakeCaseNaming
{
    /// <summary>Renames every column of the model to snake_case; call at the end of <c>OnModelCreating</c>.</summary>
    public static ModelBuilder UseSnakeCaseColumns(this ModelBuilder modelBuilder)
    {
        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
            {
                property.SetColumnName(ToSnakeCase(property.GetColumnName()));
            }

            foreach (var complex in entity.GetComplexProperties())
            {
                Rename(complex.ComplexType);
            }
        }

        return modelBuilder;
    }

    private static void Rename(IMutableComplexType complexType)
    {
        foreach (var property in complexType.GetProperties())
        {
            property.SetColumnName(ToSnakeCase(property.GetColumnName()));
        }

        foreach (var nested in complexType.GetComplexProperties())
        {
            Rename(nested.ComplexType);
        }
    }

    public static string ToSnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                var previous = i > 0 ? name[i - 1] : '_';
                var nextIsLower = i + 1 < name.Length && char.IsLower(name[i + 1]);
                if (i > 0 && previous != '_' && (char.IsLower(previous) || char.IsDigit(previous) || nextIsLower))
                {
                    builder.Append('_');
                }

                builder.Append(char.ToLowerInvariant(c));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
