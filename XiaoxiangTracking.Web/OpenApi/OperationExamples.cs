using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace XiaoxiangTracking.Web.OpenApi;

/// <summary>
/// Whole request and response examples for the routes rider and warehouse apps and integrators call, one delivery told
/// through them (order 01a24893…, customer c-10001, warehouse wh-pudong-01, rider rider-0042). A test holds each against
/// the schema the document gives for it, so an example cannot name a field the API does not have or leave out one it
/// requires.
/// </summary>
internal sealed class OperationExamples : IOperationFilter
{
    private const string Order = """
        {"id":"01a24893c8d1778cae9f2749f35c66cd","customerId":"c-10001","status":3,"statusName":"Delivering",
         "lines":[{"sku":"MEA-00311","name":"黑猪五花肉 500g","quantity":3,"unitPrice":32.00,"lineTotal":96.00},
                  {"sku":"EGG-00007","name":"土鸡蛋 10枚","quantity":3,"unitPrice":15.80,"lineTotal":47.40}],
         "totalAmount":143.40,
         "deliveryAddress":{"text":"上海市浦东南路920号 19楼","latitude":31.222243,"longitude":121.509089,"recipientName":"王女士","recipientPhone":"+86 138 0000 0000"},
         "warehouse":{"id":"wh-pudong-01","latitude":31.222,"longitude":121.54},
         "promisedDeliveryAt":"2026-12-05T02:09:34+00:00","riderId":"rider-0042",
         "pickingTask":{"id":"01a24893c8e37ae185b7d76e8169218c","status":"Completed","createdAt":"2026-12-05T01:39:35+00:00","finishedAt":"2026-12-05T01:41:14+00:00"},
         "cancellationReason":null,"createdAt":"2026-12-05T01:39:34+00:00","updatedAt":"2026-12-05T01:41:14+00:00","orderVersion":3}
        """;

    private const string Live = """
        {"orderId":"01a24893c8d1778cae9f2749f35c66cd","status":3,"statusName":"Delivering","riderId":"rider-0042",
         "position":{"latitude":31.222682,"longitude":121.531978,"fixTime":"2026-12-05T01:44:09+00:00","speed":4.8,"heading":265},
         "active":true,"trackingVersion":9,"updatedAt":"2026-12-05T01:44:10+00:00","alerts":[],
         "eta":{"learned":true,"estimatedAt":"2026-12-05T01:54:00+00:00","earliest":"2026-12-05T01:52:00+00:00","latest":"2026-12-05T01:57:00+00:00","confidence":"Medium"},
         "collected":true}
        """;

    private static readonly Dictionary<string, (string? Request, string Response)> Examples = new(StringComparer.Ordinal)
    {
        ["PlaceOrder"] = ("""
            {"lines":[{"sku":"MEA-00311","name":"黑猪五花肉 500g","quantity":3,"unitPrice":32.00},
                      {"sku":"EGG-00007","name":"土鸡蛋 10枚","quantity":3,"unitPrice":15.80}],
             "deliveryAddress":{"text":"上海市浦东南路920号 19楼","latitude":31.222243,"longitude":121.509089,"recipientName":"王女士","recipientPhone":"+86 138 0000 0000"},
             "warehouse":{"id":"wh-pudong-01","latitude":31.222,"longitude":121.54}}
            """,
            With(Order, """{"status":1,"statusName":"PendingPayment","riderId":null,"pickingTask":null,"updatedAt":"2026-12-05T01:39:34+00:00","orderVersion":1}""")),
        ["PayOrder"] = ("""{"paymentReference":"wxpay-4200001234202612051234567890","amount":143.40}""",
            With(Order, """{"status":2,"statusName":"Paid","riderId":null,"pickingTask":{"id":"01a24893c8e37ae185b7d76e8169218c","status":"Pending","createdAt":"2026-12-05T01:39:35+00:00","finishedAt":null},"updatedAt":"2026-12-05T01:39:35+00:00","orderVersion":2}""")),
        ["CancelOrder"] = ("""{"reason":"不想要了"}""",
            With(Order, """{"status":5,"statusName":"Cancelled","riderId":null,"pickingTask":{"id":"01a24893c8e37ae185b7d76e8169218c","status":"Cancelled","createdAt":"2026-12-05T01:39:35+00:00","finishedAt":"2026-12-05T01:40:02+00:00"},"cancellationReason":"不想要了","updatedAt":"2026-12-05T01:40:02+00:00","orderVersion":3}""")),
        ["MarkOrderPicked"] = ("""{"warehouseId":"wh-pudong-01","riderId":"rider-0042"}""", Order),
        ["MarkOrderDelivered"] = ("""{"riderId":"rider-0042"}""",
            With(Order, """{"status":4,"statusName":"Completed","updatedAt":"2026-12-05T01:54:20+00:00","orderVersion":4}""")),
        ["GetOrder"] = (null, Order),
        ["ListOrders"] = (null, """
            {"items":[{"id":"01a24893c8d1778cae9f2749f35c66cd","customerId":"c-10001","status":3,"statusName":"Delivering","warehouseId":"wh-pudong-01",
                       "riderId":"rider-0042","totalAmount":143.40,"lineCount":2,"promisedDeliveryAt":"2026-12-05T02:09:34+00:00",
                       "createdAt":"2026-12-05T01:39:34+00:00","updatedAt":"2026-12-05T01:41:14+00:00","orderVersion":3}],
             "pageSize":1,"next":"NjM5MDAzMDk1NzQ0ODEzOTUwLjAxYTI0ODkzYzhkMTc3OGNhZTlmMjc0OWYzNWM2NmNk"}
            """),
        ["GetLiveOrder"] = (null, Live),
        ["AssignRider"] = ("""{"riderId":"rider-0042"}""", Live),
        ["GetOrderTimeline"] = (null, """
            [{"at":"2026-12-05T01:39:34+00:00","event":"OrderPlaced","status":1,"orderVersion":1,"latitude":null,"longitude":null,"address":null,"operatorId":null,"operatorType":null},
             {"at":"2026-12-05T01:39:35+00:00","event":"OrderPaid","status":2,"orderVersion":2,"latitude":null,"longitude":null,"address":null,"operatorId":null,"operatorType":null},
             {"at":"2026-12-05T01:40:54+00:00","event":"WarehousePacked","status":2,"orderVersion":null,"latitude":null,"longitude":null,"address":null,"operatorId":"wh-pudong-01","operatorType":2},
             {"at":"2026-12-05T01:41:14+00:00","event":"OrderPicked","status":3,"orderVersion":3,"latitude":31.222,"longitude":121.54,"address":null,"operatorId":"wh-pudong-01","operatorType":2},
             {"at":"2026-12-05T01:41:14+00:00","event":"RiderAssigned","status":3,"orderVersion":null,"latitude":31.222682,"longitude":121.539978,"address":null,"operatorId":"rider-0042","operatorType":1}]
            """),
        ["ReportPosition"] = ("""
            {"pointId":"42017","fixTime":"2026-12-05T09:44:09+08:00","latitude":31.222682,"longitude":121.531978,"accuracy":8,"speed":4.8,"heading":265}
            """,
            """{"pointId":"42017","outcome":"accepted","reason":null}"""),
        ["ReportPositionBatch"] = ("""
            {"positions":[{"pointId":"42018","fixTime":"2026-12-05T09:44:24+08:00","latitude":31.222690,"longitude":121.531260,"accuracy":12},
                          {"pointId":"42019","fixTime":"2026-12-05T09:44:39+08:00","latitude":31.222701,"longitude":121.530540,"accuracy":10},
                          {"pointId":"42017","fixTime":"2026-12-05T09:44:09+08:00","latitude":31.222682,"longitude":121.531978,"accuracy":8}]}
            """,
            """
            {"accepted":2,"duplicates":1,"rejected":0,"results":[{"pointId":"42018","outcome":"accepted","reason":null},
             {"pointId":"42019","outcome":"accepted","reason":null},{"pointId":"42017","outcome":"duplicate","reason":null}]}
            """),
        ["ReportWarehouseStage"] = ("""{"orderId":"01a24893c8d1778cae9f2749f35c66cd","warehouseId":"wh-pudong-01","stage":"Packed"}""",
            """{"at":"2026-12-05T01:40:54+00:00","event":"WarehousePacked","status":2,"orderVersion":null,"latitude":null,"longitude":null,"address":null,"operatorId":"wh-pudong-01","operatorType":2}"""),
        ["RegisterWebhook"] = ("""{"url":"https://erp.example.com/hooks/xiaoxiang","eventTypes":["order.delivered","alert.raised"]}""",
            """{"id":"01a24895713f7c86bbe69379d3499cd4","url":"https://erp.example.com/hooks/xiaoxiang","eventTypes":["alert.raised","order.delivered"],"active":true,"createdAt":"2026-12-05T01:41:23+00:00","secret":"/vudAJb7ZixPGZvZZi9X1QzPFd9yE5/z0tKY+I2tYi4="}"""),
    };

    /// <summary>The operations that carry whole examples.</summary>
    public static IReadOnlyCollection<string> Operations => Examples.Keys;

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (operation.OperationId is not { } id || !Examples.TryGetValue(id, out var example))
        {
            return;
        }

        if (example.Request is { } request && operation.RequestBody?.Content?.TryGetValue("application/json", out var body) == true)
        {
            body.Example = JsonNode.Parse(request);
        }

        foreach (var (status, response) in operation.Responses ?? [])
        {
            if (status.StartsWith('2') && response.Content?.TryGetValue("application/json", out var content) == true)
            {
                content.Example = JsonNode.Parse(example.Response);
            }
        }
    }

    /// <summary>An example with some fields replaced (the order at another step).</summary>
    private static string With(string json, string changes)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        foreach (var (name, value) in JsonNode.Parse(changes)!.AsObject())
        {
            node[name] = value?.DeepClone();
        }

        return node.ToJsonString();
    }
}
