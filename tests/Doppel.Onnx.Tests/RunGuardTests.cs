namespace Doppel.Onnx.Tests;

/// <summary>The guard that keeps a session alive until its runs in progress have returned.</summary>
public class RunGuardTests
{
    [Fact]
    public void Close_WithNoRunInProgress_ReleasesAtOnce_AndOnce()
    {
        var guard = new RunGuard();
        int released = 0;
        guard.Close(() => released++);
        guard.Close(() => released++);
        Assert.Equal(1, released);
    }

    [Fact]
    public void Close_DuringRuns_ReleasesWhenTheLastOneLeaves()
    {
        var guard = new RunGuard();
        int released = 0;
        var first = guard.Enter(this);
        var second = guard.Enter(this);
        guard.Close(() => released++);
        Assert.Equal(0, released);
        first.Dispose();
        Assert.Equal(0, released);
        second.Dispose();
        Assert.Equal(1, released);
    }

    [Fact]
    public void Enter_AfterClose_IsObjectDisposed()
    {
        var guard = new RunGuard();
        guard.Close(() => { });
        Assert.Throws<ObjectDisposedException>(() => guard.Enter(this));
    }
}
