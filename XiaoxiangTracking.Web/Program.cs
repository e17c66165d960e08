using XiaoxiangTracking.Modules.Notifications;
using XiaoxiangTracking.Modules.Orders;
using XiaoxiangTracking.Modules.Tracking;
using XiaoxiangTracking.Web.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.UseRootAppSettings();

builder.AddApiDefaults();
builder.AddModuleMediator();
builder.AddOrdersModule();
builder.AddTrackingModule();
builder.AddNotificationsModule();
builder.AddBackgroundJobs();

var app = builder.Build();

app.UseApiDefaults();
app.UseJobsDashboard();
app.MapOrdersEndpoints();
app.MapTrackingEndpoints();
app.MapNotificationsEndpoints();

app.Run();
