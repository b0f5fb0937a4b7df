namespace Doppel.Forensics.Tests.Support;

/// <summary>The repository root, found from the test assembly's folder (tests read docs/ to check the formats page).</summary>
public static class RepoPaths
{
    public static string Root
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Doppel.slnx"))) return dir.FullName;
            throw new DirectoryNotFoundException("repository root (Doppel.slnx) not found above " + AppContext.BaseDirectory);
        }
    }
}
