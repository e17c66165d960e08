using XiaoxiangTracking.Modules.Notifications;
using XiaoxiangTracking.Modules.Orders;
using XiaoxiangTracking.Modules.Tracking;
using XiaoxiangTracking.Web.Demo;
using XiaoxiangTracking.Web.Hosting;
using XiaoxiangTracking.Web.Pages;
using XiaoxiangTracking.Web.Security;

var builder = WebApplication.CreateBuilder(args);
builder.UseRootAppSettings();

builder.AddApiDefaults();
builder.AddSecurityDatabase();
builder.AddTokenAuthentication();
builder.AddAbuseLimits();
builder.AddBrowserDefenses();
builder.AddModuleMediator();
builder.AddOrdersModule();
builder.AddTrackingModule();
builder.AddNotificationsModule();
builder.AddBackgroundJobs();
builder.AddLivePages();
builder.AddDemo();

var app = builder.Build();
if (SchemaScripts.IsRequested(args, out var scriptFolder))
{
    foreach (var path in SchemaScripts.Write(app.Services, scriptFolder))
    {
        Console.WriteLine(path);
    }

    return;
}

app.UseProblemResponses();
app.UseStoppingGate();
app.UseTrustedForwardedHeaders();
app.UseHttpLogging();
app.UseDenyList();
app.UseApiDefaults();
app.UseBrowserDefenses();
app.UseLivePageAssets();
app.UseAuthentication();
app.UseRateLimiter();
app.UseAuthorization();
app.UseJobsDashboard();
app.MapDevelopmentTokens();
app.MapDenyList();
app.MapOrdersEndpoints();
app.MapTrackingEndpoints();
app.MapNotificationsEndpoints();
app.MapLivePages();

app.Run();
