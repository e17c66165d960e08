using System.Runtime.CompilerServices;

namespace XiaoxiangTracking.Tests.Support;

internal static class TestProcess
{
    /// <summary>
    /// The suite runs dozens of hosts at once; each watching its settings files for changes would take an inotify
    /// instance (a user may hold 128), and no test changes a settings file while a host runs.
    /// </summary>
    [ModuleInitializer]
    internal static void DoNotWatchSettingsFiles() =>
        Environment.SetEnvironmentVariable("DOTNET_hostBuilder__reloadConfigOnChange", "false");
}
