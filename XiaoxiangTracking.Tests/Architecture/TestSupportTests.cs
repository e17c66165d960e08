namespace XiaoxiangTracking.Tests.Architecture;

/// <summary>
/// Test infrastructure lives with the tests (XiaoxiangTracking.Testing), not in the benchmark program: the tests and the
/// bench both use it, and no test depends on the bench.
/// </summary>
public class TestSupportTests
{
    private static IEnumerable<string?> ReferencedByTests() =>
        typeof(TestSupportTests).Assembly.GetReferencedAssemblies().Select(a => a.Name);

    [Fact]
    public void No_test_references_the_benchmark_program()
    {
        ReferencedByTests().Should().NotContain("XiaoxiangTracking.Bench");
    }

    [Fact]
    public void The_reference_rule_sees_the_test_support_the_tests_do_reference()
    {
        ReferencedByTests().Should().Contain("XiaoxiangTracking.Testing");
    }
}
