using XiaoxiangTracking.Modules.Orders.Contracts;
using XiaoxiangTracking.Modules.Orders.Domain;
using XiaoxiangTracking.Modules.Shared.Domain;
using XiaoxiangTracking.Modules.Shared.Errors;

namespace XiaoxiangTracking.Tests.Orders;

public class OrderStatusMachineTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 2, 0, 0, TimeSpan.Zero);

    /// <summary>Every (status, action) pair: the legal ones and where they lead; null means illegal.</summary>
    public static TheoryData<OrderStatus, string, OrderStatus?> AllPairs => new()
    {
        { OrderStatus.PendingPayment, "Pay", OrderStatus.Paid },
        { OrderStatus.PendingPayment, "MarkPicked", null },
        { OrderStatus.PendingPayment, "MarkDelivered", null },
        { OrderStatus.PendingPayment, "Cancel", OrderStatus.Cancelled },
        { OrderStatus.Paid, "Pay", null },
        { OrderStatus.Paid, "MarkPicked", OrderStatus.Delivering },
        { OrderStatus.Paid, "MarkDelivered", null },
        { OrderStatus.Paid, "Cancel", OrderStatus.Cancelled },
        { OrderStatus.Delivering, "Pay", null },
        { OrderStatus.Delivering, "MarkPicked", null },
        { OrderStatus.Delivering, "MarkDelivered", OrderStatus.Completed },
        { OrderStatus.Delivering, "Cancel", null },
        { OrderStatus.Completed, "Pay", null },
        { OrderStatus.Completed, "MarkPicked", null },
        { OrderStatus.Completed, "MarkDelivered", null },
        { OrderStatus.Completed, "Cancel", null },
        { OrderStatus.Cancelled, "Pay", null },
        { OrderStatus.Cancelled, "MarkPicked", null },
        { OrderStatus.Cancelled, "MarkDelivered", null },
        { OrderStatus.Cancelled, "Cancel", null },
    };

    [Fact]
    public void The_table_covers_every_status_and_action()
    {
        var covered = AllPairs.Select(row => ((OrderStatus)row[0], Enum.Parse<OrderAction>((string)row[1]))).ToHashSet();

        covered.Should().HaveCount(Enum.GetValues<OrderStatus>().Length * Enum.GetValues<OrderAction>().Length);
    }

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void The_status_machine_allows_only_the_seed_flow(OrderStatus from, string action, OrderStatus? expected)
    {
        OrderStatusMachine.Next(from, Enum.Parse<OrderAction>(action)).Should().Be(expected);
    }

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void The_order_aggregate_applies_exactly_the_legal_transitions(OrderStatus from, string action, OrderStatus? expected)
    {
        var order = OrderIn(from);
        var version = order.Version;

        var act = () => Apply(order, Enum.Parse<OrderAction>(action));

        if (expected is null)
        {
            act.Should().Throw<RuleViolationException>()
                .Where(e => e.Code == "illegal_transition" && (int)e.Details["currentStatus"]! == (int)from);
            order.Status.Should().Be(from);
            order.Version.Should().Be(version);
        }
        else
        {
            act();
            order.Status.Should().Be(expected);
            order.Version.Should().Be(version + 1);
            order.TakePendingNotifications().Should().ContainSingle()
                .Which.Should().BeAssignableTo<IOrderNotification>()
                .Which.Should().Match<IOrderNotification>(n => n.Status == expected && n.Version == version + 1);
        }
    }

    [Fact]
    public void Placing_computes_the_total_from_the_lines_and_raises_OrderPlaced_at_version_1()
    {
        var order = NewOrder();

        order.TotalAmount.Should().Be(2 * 6.50m + 12.90m);
        order.Id.Should().HaveLength(32);
        order.Status.Should().Be(OrderStatus.PendingPayment);
        order.PendingNotifications.Should().ContainSingle().Which.Should().BeOfType<OrderPlaced>()
            .Which.Version.Should().Be(1);
    }

    [Fact]
    public void Paying_a_different_amount_than_the_total_is_refused_and_changes_nothing()
    {
        var order = NewOrder();

        var act = () => order.Pay("wx-1", order.TotalAmount - 0.01m, Now);

        act.Should().Throw<RuleViolationException>().Where(e => e.Code == "payment_amount_mismatch");
        order.Status.Should().Be(OrderStatus.PendingPayment);
        order.PickingTask.Should().BeNull();
    }

    [Fact]
    public void Paying_creates_a_pending_picking_task_that_picking_completes()
    {
        var order = NewOrder();

        order.Pay("wx-1", order.TotalAmount, Now);
        order.PickingTask!.Status.Should().Be(PickingTaskStatus.Pending);
        order.MarkPicked("wh-1", "rider-1", Now.AddMinutes(5));

        order.PickingTask.Status.Should().Be(PickingTaskStatus.Completed);
        order.RiderId.Should().Be("rider-1");
    }

    [Fact]
    public void Cancelling_a_paid_order_cancels_its_picking_task()
    {
        var order = NewOrder();
        order.Pay("wx-1", order.TotalAmount, Now);

        order.Cancel("out of stock", Now.AddMinutes(1));

        order.PickingTask!.Status.Should().Be(PickingTaskStatus.Cancelled);
        order.CancellationReason.Should().Be("out of stock");
    }

    [Fact]
    public void Only_the_order_warehouse_may_mark_it_picked_and_only_its_rider_may_deliver_it()
    {
        var order = NewOrder();
        order.Pay("wx-1", order.TotalAmount, Now);

        FluentActions.Invoking(() => order.MarkPicked("wh-other", "rider-1", Now))
            .Should().Throw<RuleViolationException>().Where(e => e.Code == "wrong_warehouse");
        order.MarkPicked("wh-1", "rider-1", Now);
        FluentActions.Invoking(() => order.MarkDelivered("rider-2", Now))
            .Should().Throw<RuleViolationException>().Where(e => e.Code == "not_assigned_rider");
        order.Status.Should().Be(OrderStatus.Delivering);
    }

    private static Order NewOrder() => Order.Place(
        "c-1",
        [("VEG-1", "菠菜", 2, 6.50m), ("FRU-1", "橙子", 1, 12.90m)],
        new DeliveryAddress("世纪大道100号", new GeoCoordinate(31.23, 121.47), "王女士", null),
        "wh-1",
        new GeoCoordinate(31.22, 121.54),
        Now.AddMinutes(30),
        Now);

    private static Order OrderIn(OrderStatus status)
    {
        var order = NewOrder();
        switch (status)
        {
            case OrderStatus.Paid:
                order.Pay("wx-1", order.TotalAmount, Now);
                break;
            case OrderStatus.Delivering:
                order.Pay("wx-1", order.TotalAmount, Now);
                order.MarkPicked("wh-1", "rider-1", Now);
                break;
            case OrderStatus.Completed:
                order.Pay("wx-1", order.TotalAmount, Now);
                order.MarkPicked("wh-1", "rider-1", Now);
                order.MarkDelivered("rider-1", Now);
                break;
            case OrderStatus.Cancelled:
                order.Cancel("changed my mind", Now);
                break;
        }

        order.TakePendingNotifications();
        order.Status.Should().Be(status);
        return order;
    }

    private static void Apply(Order order, OrderAction action)
    {
        switch (action)
        {
            case OrderAction.Pay:
                order.Pay("wx-2", order.TotalAmount, Now);
                break;
            case OrderAction.MarkPicked:
                order.MarkPicked("wh-1", "rider-1", Now);
                break;
            case OrderAction.MarkDelivered:
                order.MarkDelivered("rider-1", Now);
                break;
            case OrderAction.Cancel:
                order.Cancel("reason", Now);
                break;
        }
    }
}
