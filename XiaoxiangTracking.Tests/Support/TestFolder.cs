using Microsoft.Data.Sqlite;

namespace XiaoxiangTracking.Tests.Support;

/// <summary>
/// A fresh data folder shared by the hosts of one test (a restart, two instances), deleted when the test ends. Declare
/// it before the hosts so that they are disposed first.
/// </summary>
public sealed class TestFolder : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "xiaoxiang-tests", Guid.NewGuid().ToString("N"));

    public static implicit operator string(TestFolder folder) => folder.Path;

    public override string ToString() => Path;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A file still held open is left in the temp folder; nothing depends on it.
        }
    }
}
