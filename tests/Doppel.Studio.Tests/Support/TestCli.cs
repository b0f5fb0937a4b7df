using Doppel.Core;
using Doppel.Studio.Jobs;

namespace Doppel.Studio.Tests.Support;

/// <summary>
/// The doppel CLI that Studio's jobs run in these tests: the one built from this checkout, in the
/// same configuration as the tests (the test project references it, so it is built first).
/// </summary>
public static class TestCli
{
    public static string DllPath { get; } = Find();

    public static DoppelLauncher Launcher { get; } = DoppelLauncher.ForDll(DllPath);

    private static string Find()
    {
        // .../tests/Doppel.Studio.Tests/bin/<Configuration>/net10.0/
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        string framework = dir.Name, configuration = dir.Parent!.Name;
        string root = DoppelPaths.RepoRoot ?? throw new InvalidOperationException("the tests run outside a checkout");
        string dll = Path.Combine(root, "src", "Doppel.Cli", "bin", configuration, framework, "doppel.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"the doppel CLI is not built at {dll}");
    }
}
