namespace XiaoxiangTracking.Modules.Shared.Errors;

/// <summary>The addressed resource does not exist (or the caller may not know it exists). Answered with 404.</summary>
public sealed class NotFoundException(string resource, string id) : Exception($"{resource} '{id}' was not found.")
{
    public string Resource { get; } = resource;

    public string Id { get; } = id;
}
