namespace Doppel.Studio.Jobs;

/// <summary>A file a job makes or reads, by its role on the page ("result", "side-by-side", "source", "faceset", "run").</summary>
public sealed record JobFile(string Role, string Path);

/// <summary>
/// What a job will run: the doppel verb and its arguments (a list, never a command string), a
/// one-line title for the queue, and the workspace files it reads and writes (paths relative to
/// the workspace, for the page to show and play).
/// </summary>
public sealed record JobPlan(string Kind, string Title, IReadOnlyList<string> Arguments, IReadOnlyList<JobFile> Files);
