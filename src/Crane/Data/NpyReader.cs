using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using System.Numerics.Tensors;

namespace Crane.Data;

/// <summary>
/// Reads a NumPy <c>.npy</c> file (format versions 1–3) holding a 2-D array (or a 1-D array, read
/// as N×1) of little-endian float16, float32 or float64 in C order, converted to float32.
/// Fortran order, object (pickled) or structured arrays, other dtypes, other ranks and truncated
/// files are rejected with a <see cref="DataException"/>.
/// </summary>
public static partial class NpyReader
{
    /// <summary>Bytes every .npy file starts with.</summary>
    internal static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Reads the whole array.</summary>
    public static Tensor Read(string path)
    {
        if (!File.Exists(path)) throw new DataException(path, null, "file not found.");
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var (dtype, rows, cols) = ReadHeader(stream, path);
        long expected = (long)rows * cols * ElementSize(dtype);
        long available = stream.Length - stream.Position;
        if (available < expected)
            throw new DataException(path, null, $"truncated: shape {rows}×{cols} of {dtype} needs {expected} data bytes, the file has {available}.");
        if (available > expected)
            throw new DataException(path, null, $"{available - expected} bytes after the {rows}×{cols} array; the file is not a single array.");
        var tensor = new Tensor(rows, cols);
        ReadData(stream, dtype, tensor.Data);
        return tensor;
    }

    static void ReadData(Stream stream, string dtype, float[] target)
    {
        if (dtype == "<f4")
        {
            stream.ReadExactly(MemoryMarshal.AsBytes(target.AsSpan()));
            return;
        }
        // Convert in chunks so a large float16/float64 file never needs a second full-size buffer.
        const int ChunkElements = 1 << 16;
        int size = ElementSize(dtype);
        var buffer = new byte[ChunkElements * size];
        for (int done = 0; done < target.Length; done += ChunkElements)
        {
            int count = Math.Min(ChunkElements, target.Length - done);
            var bytes = buffer.AsSpan(0, count * size);
            stream.ReadExactly(bytes);
            var output = target.AsSpan(done, count);
            if (dtype == "<f2") TensorPrimitives.ConvertToSingle(MemoryMarshal.Cast<byte, Half>(bytes), output);
            else TensorPrimitives.ConvertTruncating<double, float>(MemoryMarshal.Cast<byte, double>(bytes), output);
        }
    }

    static int ElementSize(string dtype) => dtype switch { "<f2" => 2, "<f4" => 4, _ => 8 };

    /// <summary>Parses the magic, version and header dictionary; leaves the stream at the data.</summary>
    static (string Dtype, int Rows, int Cols) ReadHeader(Stream stream, string path)
    {
        Span<byte> prefix = stackalloc byte[8];
        if (stream.ReadAtLeast(prefix, 8, throwOnEndOfStream: false) < 8 || !prefix[..6].SequenceEqual(Magic))
            throw new DataException(path, null, "not a .npy file (the \\x93NUMPY signature is missing).");
        int major = prefix[6];
        if (major is < 1 or > 3) throw new DataException(path, null, $".npy format version {major}.{prefix[7]} is not supported (1.0–3.0 are).");
        Span<byte> lengthBytes = stackalloc byte[major == 1 ? 2 : 4];
        if (stream.ReadAtLeast(lengthBytes, lengthBytes.Length, throwOnEndOfStream: false) < lengthBytes.Length)
            throw new DataException(path, null, "truncated in the header.");
        long headerLength = major == 1 ? BinaryPrimitives.ReadUInt16LittleEndian(lengthBytes) : BinaryPrimitives.ReadUInt32LittleEndian(lengthBytes);
        if (headerLength > stream.Length - stream.Position) throw new DataException(path, null, "truncated in the header.");
        var headerBytes = new byte[headerLength];
        stream.ReadExactly(headerBytes);
        var header = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(headerBytes).Trim();
        return ParseHeader(header, path);
    }

    static (string Dtype, int Rows, int Cols) ParseHeader(string header, string path)
    {
        var descr = DescrPattern().Match(header);
        var fortran = FortranPattern().Match(header);
        var shape = ShapePattern().Match(header);
        if (!descr.Success || !fortran.Success || !shape.Success)
            throw new DataException(path, null, $"the header is not a plain-array header (object, pickled or structured arrays are not supported): {header}");
        string dtype = descr.Groups[1].Value;
        if (dtype is not ("<f2" or "<f4" or "<f8"))
            throw new DataException(path, null, dtype.StartsWith('>')
                ? $"dtype '{dtype}' is big-endian; save it little-endian (<f2, <f4, <f8)."
                : $"dtype '{dtype}' is not supported; expected little-endian float16, float32 or float64 (<f2, <f4, <f8).");
        if (fortran.Groups[1].Value == "True")
            throw new DataException(path, null, "the array is in Fortran (column-major) order; save it in C order (numpy.ascontiguousarray).");
        var dims = shape.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (dims.Length is < 1 or > 2)
            throw new DataException(path, null, $"shape ({shape.Groups[1].Value}) has {dims.Length} dimension(s); a 1-D or 2-D array is expected.");
        var sizes = dims.Select(d => long.TryParse(d.TrimEnd('L'), NumberStyles.None, CultureInfo.InvariantCulture, out long v) ? v
            : throw new DataException(path, null, $"shape entry '{d}' is not a size.")).ToArray();
        long rows = sizes[0], cols = sizes.Length == 2 ? sizes[1] : 1;
        if (rows * cols > Array.MaxLength || rows > int.MaxValue || cols > int.MaxValue)
            throw new DataException(path, null, $"shape {rows}×{cols} is larger than one float32 array can hold.");
        return (dtype, (int)rows, (int)cols);
    }

    [GeneratedRegex(@"'descr'\s*:\s*'([^']*)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")]
    private static partial Regex FortranPattern();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
