using System.Runtime.CompilerServices;

namespace Crane.Numerics;

/// <summary>
/// A dense float32 matrix stored row-major in one array. Vectors are 1×n or n×1 and scalars
/// 1×1: recommenders work on tables (rows = users or items), so two dimensions are all we need.
/// </summary>
public sealed class Tensor
{
    /// <summary>Number of rows.</summary>
    public int Rows { get; }

    /// <summary>Number of columns (the row stride).</summary>
    public int Cols { get; }

    /// <summary>The elements, row-major; <c>Data[r * Cols + c]</c>.</summary>
    public float[] Data { get; }

    /// <summary>Rows × Cols.</summary>
    public int Length => Data.Length;

    /// <summary>A zero-filled tensor.</summary>
    public Tensor(int rows, int cols)
    {
        ValidateShape(rows, cols);
        Rows = rows;
        Cols = cols;
        Data = new float[checked(rows * cols)];
    }

    /// <summary>Wraps an existing array (no copy); its length must be rows × cols.</summary>
    public Tensor(int rows, int cols, float[] data)
    {
        ValidateShape(rows, cols);
        ArgumentNullException.ThrowIfNull(data);
        if (data.Length != (long)rows * cols)
            throw new ArgumentException($"Data has {data.Length} elements but the shape {rows}×{cols} needs {(long)rows * cols}.", nameof(data));
        Rows = rows;
        Cols = cols;
        Data = data;
    }

    /// <summary>A tensor of the given shape filled with <paramref name="value"/>.</summary>
    public static Tensor Filled(int rows, int cols, float value)
    {
        var t = new Tensor(rows, cols);
        Array.Fill(t.Data, value);
        return t;
    }

    /// <summary>A 1×1 tensor holding one value.</summary>
    public static Tensor Scalar(float value) => Filled(1, 1, value);

    /// <summary>Copies a 2-D array.</summary>
    public static Tensor FromArray(float[,] values)
    {
        var t = new Tensor(values.GetLength(0), values.GetLength(1));
        for (int r = 0; r < t.Rows; r++)
            for (int c = 0; c < t.Cols; c++)
                t.Data[r * t.Cols + c] = values[r, c];
        return t;
    }

    /// <summary>Element access (bounds-checked through the array).</summary>
    public float this[int row, int col]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Data[row * Cols + col];
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        set => Data[row * Cols + col] = value;
    }

    /// <summary>One row as a span.</summary>
    public Span<float> Row(int row) => Data.AsSpan(row * Cols, Cols);

    /// <summary>All elements as a span.</summary>
    public Span<float> AsSpan() => Data;

    /// <summary>A deep copy.</summary>
    public Tensor Clone() => new(Rows, Cols, (float[])Data.Clone());

    /// <summary>A zero tensor with this tensor's shape.</summary>
    public Tensor ZerosLike() => new(Rows, Cols);

    /// <summary>True when both tensors have the same shape.</summary>
    public bool SameShape(Tensor other) => Rows == other.Rows && Cols == other.Cols;

    /// <summary>Sets every element to zero.</summary>
    public void Clear() => Array.Clear(Data);

    /// <summary>"rows×cols", for messages.</summary>
    public string ShapeText => $"{Rows}×{Cols}";

    /// <inheritdoc />
    public override string ToString() => $"Tensor {ShapeText}";

    static void ValidateShape(int rows, int cols)
    {
        if (rows < 0 || cols < 0)
            throw new ArgumentOutOfRangeException(nameof(rows), $"Shape {rows}×{cols} has a negative dimension.");
    }
}
