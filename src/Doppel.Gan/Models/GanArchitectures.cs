using Doppel.Core;

namespace Doppel.Gan.Models;

/// <summary>The GAN architectures by name: one line each, no scanning.</summary>
public static class GanArchitectures
{
    private static readonly IGanArchitecture[] All = [new MlpArchitecture(), new DcganArchitecture()];

    public static IReadOnlyList<string> Names { get; } = All.Select(a => a.Name).ToArray();

    public static IGanArchitecture Get(string name) =>
        All.FirstOrDefault(a => a.Name == name)
        ?? throw new DoppelException($"unknown GAN architecture '{name}'", $"use one of {string.Join(", ", Names)}");
}
