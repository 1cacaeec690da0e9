using System.Buffers.Binary;
using System.Text;
using Crane.Data;

namespace Crane.Tests.Data;

public class NpyTests
{
    /// <summary>A .npy file built by hand from the format's specification (independent of NpyWriter).</summary>
    static byte[] Npy(string descr, string shape, byte[] data, bool fortran = false, int version = 1)
    {
        string dict = $"{{'descr': '{descr}', 'fortran_order': {(fortran ? "True" : "False")}, 'shape': {shape}, }}";
        int prefix = 6 + 2 + (version == 1 ? 2 : 4);
        string header = dict.PadRight((prefix + dict.Length + 1 + 63) / 64 * 64 - prefix - 1) + "\n";
        var bytes = new List<byte>();
        bytes.AddRange([0x93, .. "NUMPY"u8, (byte)version, 0]);
        if (version == 1) bytes.AddRange(BitConverter.GetBytes((ushort)header.Length));
        else bytes.AddRange(BitConverter.GetBytes((uint)header.Length));
        bytes.AddRange(Encoding.ASCII.GetBytes(header));
        bytes.AddRange(data);
        return [.. bytes];
    }

    static readonly float[] Values = [1f, -2.5f, 0.125f, 3f, 65504f, -0.0009765625f];

    static byte[] Float16(float[] values) => values.SelectMany(v => { var b = new byte[2]; BinaryPrimitives.WriteHalfLittleEndian(b, (Half)v); return b; }).ToArray();
    static byte[] Float32(float[] values) => values.SelectMany(v => { var b = new byte[4]; BinaryPrimitives.WriteSingleLittleEndian(b, v); return b; }).ToArray();
    static byte[] Float64(float[] values) => values.SelectMany(v => { var b = new byte[8]; BinaryPrimitives.WriteDoubleLittleEndian(b, v); return b; }).ToArray();

    [Theory]
    [InlineData("<f2", 1)]
    [InlineData("<f4", 1)]
    [InlineData("<f8", 1)]
    [InlineData("<f4", 2)]
    public void Reads_each_float_dtype_as_float32(string descr, int version)
    {
        using var dir = new TempFolder();
        var data = descr switch { "<f2" => Float16(Values), "<f4" => Float32(Values), _ => Float64(Values) };
        var tensor = NpyReader.Read(dir.File("x.npy", Npy(descr, "(3, 2)", data, version: version)));
        Assert.Equal((3, 2), (tensor.Rows, tensor.Cols));
        Assert.Equal(Values, tensor.Data); // every value is exact in float16
    }

    [Fact]
    public void One_dimensional_array_is_a_column()
    {
        using var dir = new TempFolder();
        var tensor = NpyReader.Read(dir.File("x.npy", Npy("<f4", "(6,)", Float32(Values))));
        Assert.Equal((6, 1), (tensor.Rows, tensor.Cols));
        Assert.Equal(Values, tensor.Data);
    }

    [Fact]
    public void Float16_conversion_covers_the_whole_chunked_path()
    {
        using var dir = new TempFolder();
        var values = Enumerable.Range(0, 70_000).Select(i => (float)(Half)((i % 2000) * 0.25f - 100f)).ToArray();
        var tensor = NpyReader.Read(dir.File("x.npy", Npy("<f2", "(70000, 1)", Float16(values))));
        Assert.Equal(values, tensor.Data);
    }

    [Fact]
    public void Writer_round_trips_and_writes_what_the_format_specifies()
    {
        using var dir = new TempFolder();
        var tensor = new Tensor(3, 2, (float[])Values.Clone());
        string path = Path.Combine(dir.Path, "w.npy");
        NpyWriter.Write(path, tensor);
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(Npy("<f4", "(3, 2)", Float32(Values)), bytes);
        Assert.Equal(0, (bytes.Length - Values.Length * 4) % 64);
        Assert.Equal(Values, NpyReader.Read(path).Data);
        Assert.Single(Directory.GetFiles(dir.Path)); // no temporary file left behind
    }

    static DataException Rejects(byte[] file)
    {
        using var dir = new TempFolder();
        string path = dir.File("bad.npy", file);
        var e = Assert.Throws<DataException>(() => NpyReader.Read(path));
        Assert.Contains(path, e.Message);
        return e;
    }

    [Fact]
    public void Rejects_fortran_order() => Assert.Contains("Fortran", Rejects(Npy("<f4", "(3, 2)", Float32(Values), fortran: true)).Message);

    [Fact]
    public void Rejects_object_arrays() => Assert.Contains("'|O'", Rejects(Npy("|O", "(3, 2)", new byte[48])).Message);

    [Fact]
    public void Rejects_structured_arrays() =>
        Assert.Contains("not a plain-array header", Rejects(StructuredHeader()).Message);

    static byte[] StructuredHeader()
    {
        string dict = "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }";
        string header = dict.PadRight(117) + "\n";
        return [0x93, .. "NUMPY"u8, 1, 0, (byte)header.Length, 0, .. Encoding.ASCII.GetBytes(header), 0, 0, 0, 0];
    }

    [Theory]
    [InlineData("<i4", "'<i4' is not supported")]
    [InlineData(">f4", "big-endian")]
    public void Rejects_other_dtypes(string descr, string message) => Assert.Contains(message, Rejects(Npy(descr, "(3, 2)", new byte[24])).Message);

    [Fact]
    public void Rejects_truncated_data() => Assert.Contains("truncated", Rejects(Npy("<f4", "(3, 2)", Float32(Values)[..20])).Message);

    [Fact]
    public void Rejects_truncated_header() => Assert.Contains("truncated", Rejects(Npy("<f4", "(3, 2)", Float32(Values))[..30]).Message);

    [Fact]
    public void Rejects_three_dimensions() => Assert.Contains("3 dimension", Rejects(Npy("<f4", "(1, 3, 2)", Float32(Values))).Message);

    [Fact]
    public void Rejects_a_file_without_the_signature() => Assert.Contains("not a .npy", Rejects("hello world"u8.ToArray()).Message);
}
