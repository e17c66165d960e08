using System.Reflection;
using NetArchTest.Rules;
using XiaoxiangTracking.Modules.Notifications;
using XiaoxiangTracking.Modules.Orders;
using XiaoxiangTracking.Modules.Orders.Contracts;
using XiaoxiangTracking.Modules.Shared.Domain;
using XiaoxiangTracking.Modules.Tracking;

namespace XiaoxiangTracking.Tests.Architecture;

/// <summary>
/// The module boundaries of DESIGN.md: a module is reached only through its entry class and its Contracts project.
/// Each rule is also run once against an assembly that breaks it, so a rule that checks nothing cannot pass.
/// </summary>
public class ModuleBoundaryTests
{
    private static readonly Assembly Host = typeof(Program).Assembly;

    /// <summary>
    /// Every module: its one public entry class (whose assembly is the implementation) and its contracts assembly, if it
    /// publishes anything to other modules (Notifications only listens).
    /// </summary>
    private static readonly IReadOnlyDictionary<string, Module> Modules = new Dictionary<string, Module>
    {
        ["Orders"] = new(typeof(OrdersModule), typeof(OrderPlaced).Assembly),
        ["Tracking"] = new(typeof(TrackingModule), typeof(Modules.Tracking.Contracts.WarehouseHandedOver).Assembly),
        ["Notifications"] = new(typeof(NotificationsModule), null),
    };

    /// <summary>Who must not reach into whose internals: the host into every module, every module into every other.</summary>
    public static TheoryData<string, string> ConsumerAndModule()
    {
        var data = new TheoryData<string, string>();
        foreach (var module in Modules.Keys)
        {
            data.Add("Host", module);
            foreach (var consumer in Modules.Keys.Where(c => c != module))
            {
                data.Add(consumer, module);
            }
        }

        return data;
    }

    public static TheoryData<string> ModuleNames() => new(Modules.Keys);

    public static TheoryData<string> ModulesWithContracts() => new(Modules.Where(m => m.Value.Contracts is not null).Select(m => m.Key));

    [Theory]
    [MemberData(nameof(ModuleNames))]
    public void A_module_makes_only_its_entry_class_public(string module)
    {
        PublicTypesBesidesEntry(Modules[module].Assembly, Modules[module].Entry).Should().BeEmpty();
    }

    [Fact]
    public void The_public_type_rule_fails_for_an_assembly_with_public_types()
    {
        PublicTypesBesidesEntry(typeof(AggregateRoot).Assembly, typeof(OrdersModule)).Should().NotBeEmpty();
    }

    [Theory]
    [MemberData(nameof(ConsumerAndModule))]
    public void No_one_uses_a_module_internals_or_its_DbContext(string consumer, string module)
    {
        InternalDependencies(AssemblyOf(consumer), Modules[module]).Should().BeEmpty();
    }

    [Fact]
    public void The_internals_rule_fails_for_code_that_uses_a_module_internals()
    {
        // This test assembly uses the Orders aggregate and DbContext directly (it may; nothing else may).
        InternalDependencies(typeof(ModuleBoundaryTests).Assembly, Modules["Orders"]).Should().NotBeEmpty();
    }

    [Theory]
    [MemberData(nameof(ConsumerAndModule))]
    public void Modules_reference_other_modules_only_through_their_contracts(string consumer, string module)
    {
        if (consumer == "Host")
        {
            return; // The host composes modules: it references their assemblies to call their entry classes.
        }

        AssemblyOf(consumer).GetReferencedAssemblies().Select(a => a.Name)
            .Should().NotContain(Modules[module].Assembly.GetName().Name);
    }

    [Theory]
    [MemberData(nameof(ModulesWithContracts))]
    public void A_contracts_project_depends_on_no_module_implementation(string module)
    {
        var implementations = Modules.Values.Select(m => m.Assembly.GetName().Name).ToHashSet();

        Modules[module].Contracts!.GetReferencedAssemblies().Select(a => a.Name).Should().NotIntersectWith(implementations);
    }

    private static Assembly AssemblyOf(string name) => name == "Host" ? Host : Modules[name].Assembly;

    private static List<string> PublicTypesBesidesEntry(Assembly assembly, Type entry) =>
        [.. assembly.GetExportedTypes().Where(t => t != entry).Select(t => t.FullName!)];

    /// <summary>Types of <paramref name="consumer"/> that depend on a namespace holding the module's internals.</summary>
    private static List<string> InternalDependencies(Assembly consumer, Module module)
    {
        var internalNamespaces = module.Assembly.GetTypes()
            .Select(t => t.Namespace)
            .Where(ns => ns is not null && ns != module.Entry.Namespace && !ns.StartsWith('<'))
            .Distinct()
            .ToArray();
        internalNamespaces.Should().NotBeEmpty();
        var result = Types.InAssembly(consumer)
            .That().DoNotResideInNamespace("Mediator") // the mediator's generated registrations, compiled in the host
            .ShouldNot().HaveDependencyOnAny(internalNamespaces!)
            .GetResult();
        return [.. result.FailingTypeNames ?? []];
    }

    private sealed record Module(Type Entry, Assembly? Contracts)
    {
        public Assembly Assembly => Entry.Assembly;
    }
}
