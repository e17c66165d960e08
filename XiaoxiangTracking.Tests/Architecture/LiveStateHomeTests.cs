using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Mono.Cecil;
using Mono.Cecil.Cil;
using NetArchTest.Rules;
using XiaoxiangTracking.Modules.Tracking;
using XiaoxiangTracking.Modules.Tracking.Contracts;
using XiaoxiangTracking.Modules.Tracking.Domain;
using XiaoxiangTracking.Modules.Tracking.Persistence;

namespace XiaoxiangTracking.Tests.Architecture;

/// <summary>
/// An order's live state has one home, the Tracking module's <c>Live</c> folder: nothing else changes it, saves it or
/// publishes its changes, and the hot path (<c>Ingest</c>) does not reach into features. Each rule also runs once
/// against code that breaks it, so a rule that checks nothing cannot pass.
/// </summary>
public class LiveStateHomeTests
{
    private const string Module = "XiaoxiangTracking.Modules.Tracking";
    private const string Home = Module + ".Live";

    [Fact]
    public void Only_the_live_folder_changes_saves_or_publishes_live_state()
    {
        LiveStateWrites(typeof(TrackingModule).Assembly, type => true).Should().BeEmpty();
    }

    [Fact]
    public void The_live_state_rule_finds_each_kind_of_write_outside_the_live_folder()
    {
        var found = LiveStateWrites(typeof(LiveStateHomeTests).Assembly, type => type.Name == nameof(WritesLiveStateElsewhere));

        found.Select(f => f.Kind).Distinct().Should().BeEquivalentTo(
            ["calls LiveOrder.SetAlerts", "calls LiveOrder.Open", "adds to DbSet<LiveOrder>", "bulk-updates LiveOrder", "writes live_orders in SQL", "makes an OrderTrackingChanged"]);
    }

    public static TheoryData<string, string> FoldersThatMustNotDependOn() => new()
    {
        { "Ingest", "Features" },
        { "Live", "Features" },
        { "Live", "Ingest" },
    };

    [Theory]
    [MemberData(nameof(FoldersThatMustNotDependOn))]
    public void A_folder_of_the_module_does_not_depend_on_another(string folder, string forbidden)
    {
        Dependencies(folder, forbidden).Should().BeEmpty();
    }

    [Fact]
    public void The_folder_rule_finds_a_folder_that_depends_on_another()
    {
        // The ingest endpoint (a feature) hands its fixes to the writer (Ingest): that direction is the allowed one.
        Dependencies("Features", "Ingest").Should().Contain(type => type.Contains("IngestPositions", StringComparison.Ordinal));
    }

    private static List<string> Dependencies(string folder, string forbidden)
    {
        var result = Types.InAssembly(typeof(TrackingModule).Assembly)
            .That().ResideInNamespace($"{Module}.{folder}")
            .ShouldNot().HaveDependencyOn($"{Module}.{forbidden}")
            .GetResult();
        return [.. result.FailingTypeNames ?? []];
    }

    /// <summary>One write of live state outside its home: the type that does it and what it does.</summary>
    private sealed record Write(string Type, string Kind);

    private static readonly Regex SqlWrite = new(@"\b(UPDATE|INSERT\s+INTO|DELETE\s+FROM|MERGE)\s+[\[\]\w.]*live_orders", RegexOptions.IgnoreCase);

    /// <summary>
    /// Every place in <paramref name="assembly"/> (its types chosen by <paramref name="include"/>, each with its lambdas and
    /// state machines) outside the home that writes live state: calls a method of <see cref="LiveOrder"/> that changes it,
    /// adds, attaches or removes one through its <c>DbSet</c>, bulk-updates or -deletes the table through EF, writes the
    /// table in SQL text, or makes a change event. The aggregate itself and migrations (schema history) are not writers.
    /// </summary>
    private static List<Write> LiveStateWrites(Assembly assembly, Func<TypeDefinition, bool> include)
    {
        using var definition = AssemblyDefinition.ReadAssembly(assembly.Location);
        var liveOrder = typeof(LiveOrder).FullName;
        var changed = typeof(OrderTrackingChanged).FullName;
        var writes = new List<Write>();
        foreach (var type in definition.MainModule.GetTypes())
        {
            var outer = type;
            while (outer.DeclaringType is not null)
            {
                outer = outer.DeclaringType;
            }

            if (!include(outer) || outer.FullName == liveOrder || outer.Namespace == Home || outer.Namespace.Contains(".Migrations", StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var method in type.Methods.Where(m => m.HasBody))
            {
                foreach (var instruction in method.Body.Instructions)
                {
                    var kind = instruction.Operand switch
                    {
                        MethodReference called when called.DeclaringType.FullName == liveOrder && Changes(called) => $"calls LiveOrder.{called.Name}",
                        MethodReference called when instruction.OpCode == OpCodes.Newobj && called.DeclaringType.FullName == changed => "makes an OrderTrackingChanged",
                        GenericInstanceMethod called when called.Name.StartsWith("Execute", StringComparison.Ordinal)
                            && called.GenericArguments.Any(a => a.FullName == liveOrder) => "bulk-updates LiveOrder",
                        MethodReference called when called.DeclaringType is GenericInstanceType set && set.ElementType.Name == "DbSet`1"
                            && set.GenericArguments[0].FullName == liveOrder && called.Name is "Add" or "AddAsync" or "AddRange" or "Attach" or "Update" or "Remove" or "RemoveRange"
                            => "adds to DbSet<LiveOrder>",
                        string sql when SqlWrite.IsMatch(sql) => "writes live_orders in SQL",
                        _ => null,
                    };
                    if (kind is not null)
                    {
                        writes.Add(new Write(outer.FullName, kind));
                    }
                }
            }
        }

        return writes;

        static bool Changes(MethodReference method) =>
            !method.Name.StartsWith("get_", StringComparison.Ordinal) && method.Name is not (nameof(LiveOrder.ToSnapshot) or ".ctor");
    }
}

/// <summary>Writes live state in each way the rule forbids outside the home (compiled, never run).</summary>
internal static class WritesLiveStateElsewhere
{
    public static async Task Everything(TrackingDbContext db, LiveOrder live, Modules.Orders.Contracts.OrderPlaced placed)
    {
        live.SetAlerts([AlertType.Stall], DateTimeOffset.UtcNow);
        db.LiveOrders.Add(LiveOrder.Open(placed, DateTimeOffset.UtcNow));
        await db.LiveOrders.Where(l => l.OrderId == live.OrderId).ExecuteUpdateAsync(u => u.SetProperty(l => l.Version, l => l.Version + 1));
        await db.Database.ExecuteSqlRawAsync("UPDATE tracking_live_orders SET version = version + 1");
        _ = new OrderTrackingChanged(live.OrderId, live.Version + 1, null, null, null, null, DateTimeOffset.UtcNow);
    }
}
