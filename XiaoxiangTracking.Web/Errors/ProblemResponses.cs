using Microsoft.AspNetCore.Mvc;

namespace XiaoxiangTracking.Web.Errors;

/// <summary>Problem+json answers written by middleware that stops a request before any endpoint runs.</summary>
internal static class ProblemResponses
{
    public static async Task WriteAsync(HttpContext context, int status, string title, string detail, string code)
    {
        context.Response.StatusCode = status;
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail, Extensions = { ["code"] = code } },
        });
    }
}
