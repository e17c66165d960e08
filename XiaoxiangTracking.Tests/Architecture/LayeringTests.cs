using System.Reflection;
using NetArchTest.Rules;
using XiaoxiangTracking.Modules.Notifications;
using XiaoxiangTracking.Modules.Orders;
using XiaoxiangTracking.Modules.Orders.Contracts;
using XiaoxiangTracking.Modules.Shared.Domain;
using XiaoxiangTracking.Modules.Tracking;
using XiaoxiangTracking.Modules.Tracking.Contracts;

namespace XiaoxiangTracking.Tests.Architecture;

/// <summary>
/// Contracts are plain: records and enums over the shared kernel and the mediator's abstractions, so a consumer of a
/// contract takes on no EF Core, Redis or metrics. Inside a module, its folders depend on each other in one direction
/// only. Each rule also runs once against code that breaks it.
/// </summary>
public class LayeringTests
{
    private static readonly Assembly Kernel = typeof(GeoCoordinate).Assembly;

    public static TheoryData<string> PlainAssemblies() => new()
    {
        typeof(OrderPlaced).Assembly.GetName().Name!,
        typeof(OrderTrackingChanged).Assembly.GetName().Name!,
        Kernel.GetName().Name!,
    };

    [Theory]
    [MemberData(nameof(PlainAssemblies))]
    public void Contracts_and_the_kernel_depend_only_on_the_runtime_the_mediator_abstractions_the_kernel_and_other_contracts(string assembly)
    {
        Infrastructure(Assembly.Load(assembly)).Should().BeEmpty();
    }

    [Fact]
    public void The_plain_rule_finds_infrastructure_in_the_shared_infrastructure_assembly()
    {
        Infrastructure(typeof(Modules.Shared.Outbox.OutboxMessage).Assembly)
            .Should().Contain(["Microsoft.EntityFrameworkCore", "StackExchange.Redis", "Prometheus.NetStandard"]);
    }

    public static TheoryData<string> ModuleNames() => new(Modules.Keys);

    [Theory]
    [MemberData(nameof(ModuleNames))]
    public void The_folders_of_a_module_depend_on_each_other_without_cycles(string module)
    {
        var (assembly, root) = Modules[module];
        Cycles(FolderGraph(assembly, root)).Should().BeEmpty();
    }

    [Fact]
    public void The_cycle_rule_finds_two_folders_that_depend_on_each_other()
    {
        var graph = FolderGraph(typeof(LayeringTests).Assembly, typeof(CycleExample.Ping.Ping).Namespace![..^".Ping".Length]);

        Cycles(graph).Should().ContainSingle().Which.Should().BeEquivalentTo(["Ping", "Pong"]);
    }

    private static readonly IReadOnlyDictionary<string, (Assembly Assembly, string Root)> Modules = new Dictionary<string, (Assembly, string)>
    {
        ["Orders"] = (typeof(OrdersModule).Assembly, typeof(OrdersModule).Namespace!),
        ["Tracking"] = (typeof(TrackingModule).Assembly, typeof(TrackingModule).Namespace!),
        ["Notifications"] = (typeof(NotificationsModule).Assembly, typeof(NotificationsModule).Namespace!),
        ["Shared"] = (typeof(Modules.Shared.Outbox.OutboxMessage).Assembly, "XiaoxiangTracking.Modules.Shared"),
    };

    /// <summary>The assemblies <paramref name="assembly"/> references beyond the runtime, the mediator's abstractions (assembly <c>Mediator</c>), the kernel and contracts.</summary>
    private static List<string> Infrastructure(Assembly assembly) =>
        [.. assembly.GetReferencedAssemblies().Select(a => a.Name!)
            .Where(name => !(name.StartsWith("System", StringComparison.Ordinal) || name is "netstandard" or "mscorlib" or "Mediator"
                || name == Kernel.GetName().Name || name.EndsWith(".Contracts", StringComparison.Ordinal)))];

    /// <summary>
    /// The top-level folders (namespaces under <paramref name="root"/>) of an assembly and, for each, the others its
    /// types depend on. The root namespace itself (the module's entry, which composes everything) is not a folder.
    /// </summary>
    private static Dictionary<string, HashSet<string>> FolderGraph(Assembly assembly, string root)
    {
        var folders = assembly.GetTypes()
            .Select(t => t.Namespace)
            .Where(ns => ns is not null && ns.StartsWith(root + ".", StringComparison.Ordinal))
            .Select(ns => ns![(root.Length + 1)..].Split('.')[0])
            .Where(folder => !folder.StartsWith('<'))
            .ToHashSet();
        return folders.ToDictionary(folder => folder, folder => folders
            .Where(other => other != folder && !Types.InAssembly(assembly)
                .That().ResideInNamespace($"{root}.{folder}")
                .ShouldNot().HaveDependencyOn($"{root}.{other}")
                .GetResult().IsSuccessful)
            .ToHashSet());
    }

    /// <summary>Every set of folders that depend on each other in a ring (the graph's strongly connected parts of more than one).</summary>
    private static List<List<string>> Cycles(Dictionary<string, HashSet<string>> graph)
    {
        var reaches = graph.Keys.ToDictionary(folder => folder, folder =>
        {
            var seen = new HashSet<string>();
            var next = new Stack<string>(graph[folder]);
            while (next.TryPop(out var other))
            {
                if (seen.Add(other))
                {
                    foreach (var further in graph[other])
                    {
                        next.Push(further);
                    }
                }
            }

            return seen;
        });
        return [.. graph.Keys
            .Select(folder => graph.Keys.Where(other => other == folder || (reaches[folder].Contains(other) && reaches[other].Contains(folder))).Order().ToList())
            .Where(ring => ring.Count > 1)
            .DistinctBy(ring => string.Join(',', ring))];
    }
}

