using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;

namespace XiaoxiangTracking.Web.Hosting;

internal static class RootAppSettings
{
    private const string FileName = "appsettings.json";

    /// <summary>
    /// The one appsettings.json sits at the repository root and is copied next to the binaries. When the content root
    /// (the project folder under <c>dotnet run</c>, or wherever the app was started) has no copy, read the one beside the
    /// binaries — in the same place among the configuration sources, so environment variables and the command line
    /// still override it.
    /// </summary>
    public static WebApplicationBuilder UseRootAppSettings(this WebApplicationBuilder builder)
    {
        if (File.Exists(Path.Combine(builder.Environment.ContentRootPath, FileName)))
        {
            return builder;
        }

        var sources = builder.Configuration.Sources;
        for (var i = 0; i < sources.Count; i++)
        {
            if (sources[i] is JsonConfigurationSource { Path: FileName } json)
            {
                sources[i] = new JsonConfigurationSource
                {
                    Path = FileName,
                    Optional = false,
                    ReloadOnChange = json.ReloadOnChange,
                    FileProvider = new PhysicalFileProvider(AppContext.BaseDirectory),
                };
                return builder;
            }
        }

        throw new InvalidOperationException($"No {FileName} configuration source to replace.");
    }
}
