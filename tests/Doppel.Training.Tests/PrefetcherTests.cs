namespace Doppel.Training.Tests;

public class PrefetcherTests
{
    private sealed class Item(long index, List<long> disposed) : IDisposable
    {
        public long Index { get; } = index;

        public void Dispose()
        {
            lock (disposed) disposed.Add(Index);
        }
    }

    [Fact]
    public void ItemsArriveInOrderFromTheFirstIndex()
    {
        var made = new List<int>();
        using var p = new Prefetcher<long>(i => { lock (made) made.Add(Environment.CurrentManagedThreadId); return i * i; }, first: 5, depth: 2);
        for (long i = 5; i < 40; i++) Assert.Equal(i * i, p.Take(i));
        lock (made) Assert.DoesNotContain(Environment.CurrentManagedThreadId, made);
    }

    [Fact]
    public void AskingOutOfOrderIsRefused()
    {
        using var p = new Prefetcher<long>(i => i, first: 0);
        Assert.Equal(0, p.Take(0));
        var e = Assert.Throws<InvalidOperationException>(() => p.Take(2));
        Assert.Contains("item 1 next", e.Message);
        Assert.Equal(1, p.Take(1));
    }

    [Fact]
    public void TheProducersFailureSurfacesAfterTheItemsMadeBeforeIt()
    {
        using var p = new Prefetcher<long>(i => i < 3 ? i : throw new FormatException("bad crop " + i), first: 0);
        for (long i = 0; i < 3; i++) Assert.Equal(i, p.Take(i));
        var e = Assert.Throws<FormatException>(() => p.Take(3));
        Assert.Equal("bad crop 3", e.Message);
    }

    [Fact]
    public void ItemsNeverTakenAreDisposed()
    {
        var disposed = new List<long>();
        var p = new Prefetcher<Item>(i => new Item(i, disposed), first: 0, depth: 3);
        using (p.Take(0)) { }
        SpinWait.SpinUntil(() => { lock (disposed) return disposed.Count == 1; }, 1000);
        Thread.Sleep(50); // let the loader fill the queue
        p.Dispose();
        lock (disposed)
        {
            Assert.Equal(0, disposed[0]);
            // Every item made after 0 was disposed exactly once: the queue's and the one blocked in Add.
            var rest = disposed.Skip(1).Order().ToList();
            Assert.NotEmpty(rest);
            Assert.Equal(Enumerable.Range(1, rest.Count).Select(i => (long)i), rest);
        }
    }

    [Fact]
    public void ACancelWhileWaitingThrowsOperationCanceled()
    {
        using var gate = new ManualResetEventSlim();
        using var p = new Prefetcher<long>(i => { gate.Wait(); return i; }, first: 0);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        Assert.ThrowsAny<OperationCanceledException>(() => p.Take(0, cts.Token));
        gate.Set();
        Assert.Equal(0, p.Take(0));
    }
}
