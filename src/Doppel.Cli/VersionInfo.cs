using System.Reflection;

namespace Doppel.Cli;

/// <summary>The tool's version as the build stamped it (the csproj's Version plus the git commit when known).</summary>
public static class VersionInfo
{
    public static string Version { get; } = Shorten(
        typeof(VersionInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(VersionInfo).Assembly.GetName().Version?.ToString()
        ?? "unknown");

    /// <summary>"doppel 0.1.0+abc1234def", the line printed by --version and in crash reports.</summary>
    public static string Line => $"doppel {Version}";

    // The SDK appends the full 40-digit commit; ten digits identify it and keep the line readable.
    private static string Shorten(string version)
    {
        int plus = version.IndexOf('+');
        return plus >= 0 && version.Length - plus - 1 > 10 ? version[..(plus + 11)] : version;
    }
}
