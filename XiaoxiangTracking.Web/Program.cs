using XiaoxiangTracking.Modules.Orders;
using XiaoxiangTracking.Web.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.UseRootAppSettings();

builder.AddApiDefaults();
builder.AddModuleMediator();
builder.AddOrdersModule();

var app = builder.Build();

app.UseApiDefaults();
app.MapOrdersEndpoints();

app.Run();
