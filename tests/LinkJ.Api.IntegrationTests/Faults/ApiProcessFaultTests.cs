using LinkJ.Api.IntegrationTests.Infrastructure;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace LinkJ.Api.IntegrationTests.Faults;

/// <summary>
/// Faults that need the service as a real process (<see cref="ApiProcess"/>): a crash (SIGKILL) and a graceful stop
/// (SIGTERM), on a durable private cluster. Starting the process is the slow part, so the tests share it: the crash
/// test leaves the API it restarted running, and the shutdown test, which runs after it, stops that one.
/// </summary>
[Collection(FaultsCollection.Name)]
[TestCaseOrderer(ByMethodName.TypeName, ByMethodName.AssemblyName)]
public sealed partial class ApiProcessFaultTests(DurablePostgres cluster, ITestOutputHelper output) : ChildProcessTest, IClassFixture<DurablePostgres>
{
}

/// <summary>Runs a class's tests in the order of their names.</summary>
public sealed class ByMethodName : ITestCaseOrderer
{
    public const string TypeName = "LinkJ.Api.IntegrationTests.Faults.ByMethodName";
    public const string AssemblyName = "LinkJ.Api.IntegrationTests";

    public IEnumerable<TTestCase> OrderTestCases<TTestCase>(IEnumerable<TTestCase> testCases)
        where TTestCase : ITestCase =>
        testCases.OrderBy(testCase => testCase.TestMethod.Method.Name, StringComparer.Ordinal);
}
