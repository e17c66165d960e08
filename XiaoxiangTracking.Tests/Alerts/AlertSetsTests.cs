using System.Text.Json;
using XiaoxiangTracking.Modules.Tracking.Contracts;

namespace XiaoxiangTracking.Tests.Alerts;

/// <summary>The shared lists of open alert types every order's state and deltas carry.</summary>
public class AlertSetsTests
{
    [Fact]
    public void The_same_alerts_in_any_order_and_repeated_are_one_shared_list_in_code_order()
    {
        var open = AlertSets.Shared([AlertType.Timeout, AlertType.Stall, AlertType.Timeout]);

        open.Should().Equal(AlertType.Stall, AlertType.Timeout);
        AlertSets.Shared([AlertType.Stall, AlertType.Timeout]).Should().BeSameAs(open);
        AlertSets.Shared([]).Should().BeSameAs(AlertSets.None).And.BeEmpty();
        AlertSets.Shared(null).Should().BeNull();
        open.Should().NotBeAssignableTo<AlertType[]>("a shared list cannot be written through a cast");
    }

    [Fact]
    public void A_list_with_a_type_this_release_does_not_know_is_kept_as_it_came()
    {
        AlertSets.Shared([AlertType.Stall, (AlertType)9]).Should().Equal(AlertType.Stall, (AlertType)9);
    }

    [Fact]
    public void A_delta_read_back_from_json_carries_the_shared_list_and_so_does_one_made_with_a_list_of_its_own()
    {
        var sent = new OrderTrackingChanged("o-1", 4, null, null, null, null, DateTimeOffset.UnixEpoch, [AlertType.Deviation, AlertType.Offline]);
        var received = JsonSerializer.Deserialize<OrderTrackingChanged>(JsonSerializer.Serialize(sent, JsonSerializerOptions.Web), JsonSerializerOptions.Web)!;

        var shared = AlertSets.Shared([AlertType.Offline, AlertType.Deviation]);
        sent.Alerts.Should().BeSameAs(shared);
        received.Alerts.Should().BeSameAs(shared);
        received.Should().Be(sent);
        (sent with { Alerts = new List<AlertType> { AlertType.Deviation } }).Alerts.Should().BeSameAs(AlertSets.Shared([AlertType.Deviation]));
    }
}
