using Doppel.Core;

namespace Doppel.Cli.Tests;

/// <summary>Doppel.Core's Progress reporter, which the CLI commands use for long loops.</summary>
public sealed class ProgressTests
{
    [Fact]
    public void Format_shows_count_total_rate_elapsed_and_eta()
    {
        string line = Progress.Format("train", 1200, 5000, "step", TimeSpan.FromSeconds(375), finished: false);
        Assert.Equal("train  1,200/5,000 (24.0%)  3.2 step/s  elapsed 06:15  eta 19:47", line);
    }

    [Fact]
    public void Slow_rates_are_shown_as_seconds_per_unit()
    {
        string line = Progress.Format("train", 10, 0, "step", TimeSpan.FromSeconds(41), finished: false);
        Assert.Equal("train  10 step  4.1 s/step  elapsed 00:41", line);
    }

    [Fact]
    public void Finished_line_says_done_and_nothing_before_the_first_item_divides_by_zero()
    {
        Assert.Equal("x  0/10 (0.0%)  elapsed 00:00", Progress.Format("x", 0, 10, "item", TimeSpan.Zero, finished: false));
        Assert.EndsWith("elapsed 1:01:01  done", Progress.Format("x", 10, 10, "item", TimeSpan.FromSeconds(3661), finished: true));
    }

    [Fact]
    public void Plain_output_prints_first_then_periodically_then_final()
    {
        var clock = new ManualClock();
        var output = new StringWriter();
        using (var progress = new Progress("extract", 100, "frame", output, interactive: false, clock) { PlainInterval = TimeSpan.FromSeconds(10) })
        {
            for (int i = 0; i < 100; i++)
            {
                clock.Advance(TimeSpan.FromSeconds(1));
                progress.Advance();
            }
        }
        string[] lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // Item 1, then every 10 s (items 11, 21, ... 91), then the final line.
        Assert.Equal(11, lines.Length);
        Assert.DoesNotContain('\r', output.ToString());
        Assert.StartsWith("extract  1/100", lines[0]);
        Assert.Equal("extract  100/100 (100.0%)  1.0 frame/s  elapsed 01:40  done", lines[^1]);
    }

    [Fact]
    public void Terminal_output_redraws_in_place_at_most_every_interval()
    {
        var clock = new ManualClock();
        var output = new StringWriter();
        var progress = new Progress("train", 0, "step", output, interactive: true, clock);
        for (int i = 0; i < 50; i++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(20)); // 1 s in total: about 5 redraws
            progress.Advance();
        }
        progress.Log("checkpoint saved");
        progress.Finish();
        progress.Finish(); // idempotent

        string text = output.ToString();
        int redraws = text.Split('\r').Length - 1;
        Assert.InRange(redraws, 5, 9);
        Assert.Contains("\r\u001b[Kcheckpoint saved\n", text);
        Assert.EndsWith("done\u001b[K\n", text);
        Assert.Equal(2, text.Split("done").Length);
    }

    [Fact]
    public void Advance_is_thread_safe()
    {
        var progress = new Progress("p", 0, "item", TextWriter.Null, interactive: false);
        Parallel.For(0, 10_000, _ => progress.Advance());
        Assert.Equal(10_000, progress.Count);
    }

    private sealed class ManualClock : TimeProvider
    {
        private long ticks;
        public override long TimestampFrequency => TimeSpan.TicksPerSecond;
        public override long GetTimestamp() => Interlocked.Read(ref ticks);
        public void Advance(TimeSpan by) => Interlocked.Add(ref ticks, by.Ticks);
    }
}

/// <summary>ProgressLine reads back what Progress.Format writes (Studio shows child jobs' progress from it).</summary>
public sealed class ProgressLineTests
{
    [Fact]
    public void AFormattedLine_ReadsBack_CountTotalRateElapsedAndEta()
    {
        string line = Progress.Format("train", 1200, 5000, "it", TimeSpan.FromSeconds(375), finished: false);
        Assert.True(ProgressLine.TryParse(line, out var p));
        Assert.Equal(new ProgressLine("train", 1200, 5000, "it", 3.2, TimeSpan.FromSeconds(375), TimeSpan.FromSeconds(1187), false), p);
        Assert.Equal(0.24, p!.Fraction);
    }

    [Fact]
    public void SlowRatesUnknownTotalsAndFinishedLines_ReadBackToo()
    {
        Assert.True(ProgressLine.TryParse(Progress.Format("train", 10, 0, "step", TimeSpan.FromSeconds(41), finished: false), out var slow));
        Assert.Equal(10, slow!.Count);
        Assert.Equal(0, slow.Total);
        Assert.Null(slow.Fraction);
        Assert.Equal(1 / 4.1, slow.Rate!.Value, 6);
        Assert.Equal("step", slow.Unit);

        Assert.True(ProgressLine.TryParse(Progress.Format("extract", 4800, 4800, "frame", TimeSpan.FromSeconds(3661), finished: true), out var done));
        Assert.True(done!.Done);
        Assert.Null(done.Eta);
        Assert.Equal(TimeSpan.FromSeconds(3661), done.Elapsed);

        Assert.True(ProgressLine.TryParse(Progress.Format("x", 0, 10, "item", TimeSpan.Zero, finished: false), out var none));
        Assert.Null(none!.Rate);
    }

    [Theory]
    [InlineData("iteration 200: loss_a 0.1234, loss_b 0.2000, 12.3 examples/s  eta 01:23")]
    [InlineData("error: file not found")]
    [InlineData("")]
    public void OtherLines_AreNotProgress(string line) => Assert.False(ProgressLine.TryParse(line, out _));
}
