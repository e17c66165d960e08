using XiaoxiangTracking.Modules.Shared.Memory;
using XiaoxiangTracking.Modules.Tracking.Contracts;

namespace XiaoxiangTracking.Tests.Tracking;

/// <summary>The one copy of each warehouse and rider id that the orders they concern share.</summary>
public class NamesTests
{
    [Fact]
    public void Equal_ids_read_apart_come_back_as_one_string()
    {
        var first = Names.Shared(new string("wh-names-test-01".AsSpan()));
        var again = Names.Shared(new string("wh-names-test-01".AsSpan()));

        again.Should().BeSameAs(first);
        Names.Shared(null).Should().BeNull();
        Names.Shared(new string("wh-names-test-02".AsSpan())).Should().Be("wh-names-test-02").And.NotBeSameAs(first);
    }

    [Fact]
    public void Two_deltas_of_one_rider_carry_the_same_copy_of_the_rider_id()
    {
        OrderTrackingChanged HandedOver(string orderId) =>
            new(orderId, 3, null, new string("r-names-test".AsSpan()), null, null, DateTimeOffset.UnixEpoch);

        HandedOver("o-1").RiderId.Should().BeSameAs(HandedOver("o-2").RiderId);
    }
}
