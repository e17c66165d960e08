namespace XiaoxiangTracking.Modules.Shared.Errors;

/// <summary>The caller is known but may not do this (acting as someone else). Answered with 403.</summary>
public sealed class ForbiddenException(string message) : Exception(message);
