using System.Runtime.InteropServices;

namespace Doppel.Onnx.Native;

/// <summary>
/// An array of NUL-terminated UTF-8 strings in native memory, as OrtApi::Run takes input and
/// output names (<c>const char* const*</c>). Freed by <see cref="Dispose"/>.
/// </summary>
internal sealed unsafe class NativeUtf8Array : IDisposable
{
    private readonly int _count;

    public NativeUtf8Array(IEnumerable<string> strings)
    {
        string[] items = strings.ToArray();
        _count = items.Length;
        Pointers = (byte**)NativeMemory.AllocZeroed((nuint)Math.Max(1, _count), (nuint)sizeof(byte*));
        for (int i = 0; i < _count; i++)
            Pointers[i] = (byte*)Marshal.StringToCoTaskMemUTF8(items[i]);
    }

    public byte** Pointers { get; private set; }

    public void Dispose()
    {
        if (Pointers == null) return;
        for (int i = 0; i < _count; i++) Marshal.FreeCoTaskMem((nint)Pointers[i]);
        NativeMemory.Free(Pointers);
        Pointers = null;
    }
}
