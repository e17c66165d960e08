using XiaoxiangTracking.Modules.Notifications;
using XiaoxiangTracking.Modules.Orders;
using XiaoxiangTracking.Modules.Tracking;
using XiaoxiangTracking.Web.Hosting;
using XiaoxiangTracking.Web.Security;

var builder = WebApplication.CreateBuilder(args);
builder.UseRootAppSettings();

builder.AddApiDefaults();
builder.AddTokenAuthentication();
builder.AddAbuseLimits();
builder.AddModuleMediator();
builder.AddOrdersModule();
builder.AddTrackingModule();
builder.AddNotificationsModule();
builder.AddBackgroundJobs();

var app = builder.Build();

app.UseApiDefaults();
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();
app.UseJobsDashboard();
app.MapDevelopmentTokens();
app.MapOrdersEndpoints();
app.MapTrackingEndpoints();
app.MapNotificationsEndpoints();

app.Run();
