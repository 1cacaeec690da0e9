using System.Runtime.InteropServices;
using System.Text;

namespace Crane.Data;

/// <summary>Writes a tensor as a NumPy <c>.npy</c> file (format 1.0, little-endian float32, C order).</summary>
public static class NpyWriter
{
    /// <summary>
    /// Writes <paramref name="tensor"/> (Rows × Cols) to <paramref name="path"/> atomically: into a
    /// temporary file beside it, renamed over the target when complete.
    /// </summary>
    public static void Write(string path, Tensor tensor)
    {
        AtomicFile.Write(path, stream =>
        {
            stream.Write(Header(tensor.Rows, tensor.Cols));
            stream.Write(MemoryMarshal.AsBytes(tensor.Data.AsSpan()));
        });
    }

    /// <summary>Magic, version 1.0, header length and the header dictionary padded to a multiple of 64 bytes, as numpy writes it.</summary>
    static byte[] Header(int rows, int cols)
    {
        string dict = $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({rows}, {cols}), }}";
        int unpadded = NpyReader.Magic.Length + 2 + 2 + dict.Length + 1;
        int padding = (64 - unpadded % 64) % 64;
        string text = dict + new string(' ', padding) + "\n";
        var bytes = new byte[NpyReader.Magic.Length + 4 + text.Length];
        NpyReader.Magic.CopyTo(bytes);
        bytes[6] = 1;
        bytes[7] = 0;
        bytes[8] = (byte)(text.Length & 0xFF);
        bytes[9] = (byte)(text.Length >> 8);
        Encoding.ASCII.GetBytes(text, bytes.AsSpan(10));
        return bytes;
    }
}
