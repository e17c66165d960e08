using XiaoxiangTracking.Modules.Notifications;
using XiaoxiangTracking.Modules.Orders;
using XiaoxiangTracking.Modules.Tracking;
using XiaoxiangTracking.Web.Demo;
using XiaoxiangTracking.Web.Hosting;
using XiaoxiangTracking.Web.Pages;
using XiaoxiangTracking.Web.Security;

if (SchemaScripts.IsRequested(args, out var scriptFolder))
{
    // Needs no settings: only what the databases are, from the modules that own them.
    SchemaScripts.Write(scriptFolder, builder =>
    {
        builder.AddSecurityDatabase();
        AddModules(builder);
    });
    return;
}

var builder = WebApplication.CreateBuilder(args);
builder.UseRootAppSettings();

builder.AddApiDefaults();
builder.AddSecurityDatabase();
builder.AddTokenAuthentication();
builder.AddAbuseLimits();
builder.AddBrowserDefenses();
builder.AddModuleMediator();
AddModules(builder);
builder.AddBackgroundJobs();
builder.AddLivePages();
builder.AddDemo();

var app = builder.Build();

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
var api = app.MapGroup(string.Empty).RequireDeclaredFields();
api.MapDevelopmentTokens();
api.MapDenyList();
api.MapOrdersEndpoints();
api.MapTrackingEndpoints();
api.MapNotificationsEndpoints();
app.MapLivePages();

app.Run();

static void AddModules(WebApplicationBuilder builder)
{
    builder.AddOrdersModule();
    builder.AddTrackingModule();
    builder.AddNotificationsModule();
}
