using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Crane.Numerics;

/// <summary>Which vector width the hand-written kernels (GEMM, SpMM, top-k) use.</summary>
internal enum SimdWidth { Scalar, Vector256, Vector512 }

/// <summary>
/// The kernel-wide vector width switch: the widest the hardware accelerates by default; tests
/// lower it to exercise every path (all paths give the same bits: FMA is used in each).
/// </summary>
internal static class Simd
{
    internal static readonly SimdWidth Best =
        Vector512.IsHardwareAccelerated ? SimdWidth.Vector512 :
        Vector256.IsHardwareAccelerated ? SimdWidth.Vector256 : SimdWidth.Scalar;

    static SimdWidth _width = Best;

    /// <summary>Current width; setting a width the hardware lacks falls back to the best available.</summary>
    internal static SimdWidth Width
    {
        get => _width;
        set => _width = value <= Best ? value : Best;
    }
}

/// <summary>
/// A float vector of a fixed width, so a kernel is written once as a generic method and the JIT
/// specialises it per width (the TensorPrimitives operator pattern turned around).
/// </summary>
internal interface IFloatVector<TSelf> where TSelf : struct, IFloatVector<TSelf>
{
    static abstract int Count { get; }
    static abstract TSelf Zero { get; }
    static abstract TSelf Load(ref float source);
    static abstract void Store(TSelf value, ref float destination);
    /// <summary>acc + a·x with a single rounding.</summary>
    static abstract TSelf MultiplyAdd(TSelf x, float a, TSelf acc);
    /// <summary>True when some lane of x is greater than t (NaN lanes are not).</summary>
    static abstract bool AnyGreaterThan(TSelf x, float t);
    // Lane-wise arithmetic, each correctly rounded once, so every width gives the scalar bits.
    static abstract TSelf Create(float a);
    static abstract TSelf operator +(TSelf x, TSelf y);
    static abstract TSelf operator -(TSelf x, TSelf y);
    static abstract TSelf operator *(TSelf x, TSelf y);
    static abstract TSelf operator /(TSelf x, TSelf y);
    static abstract TSelf Sqrt(TSelf x);
}

internal readonly struct Float512(Vector512<float> v) : IFloatVector<Float512>
{
    readonly Vector512<float> _v = v;
    public static int Count => Vector512<float>.Count;
    public static Float512 Zero => default;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Float512 Load(ref float source) => new(Vector512.LoadUnsafe(ref source));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Float512 value, ref float destination) => value._v.StoreUnsafe(ref destination);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Float512 MultiplyAdd(Float512 x, float a, Float512 acc) => new(Vector512.FusedMultiplyAdd(x._v, Vector512.Create(a), acc._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AnyGreaterThan(Float512 x, float t) => Vector512.GreaterThanAny(x._v, Vector512.Create(t));
    public static Float512 Create(float a) => new(Vector512.Create(a));
    public static Float512 operator +(Float512 x, Float512 y) => new(x._v + y._v);
    public static Float512 operator -(Float512 x, Float512 y) => new(x._v - y._v);
    public static Float512 operator *(Float512 x, Float512 y) => new(x._v * y._v);
    public static Float512 operator /(Float512 x, Float512 y) => new(x._v / y._v);
    public static Float512 Sqrt(Float512 x) => new(Vector512.Sqrt(x._v));
}

internal readonly struct Float256(Vector256<float> v) : IFloatVector<Float256>
{
    readonly Vector256<float> _v = v;
    public static int Count => Vector256<float>.Count;
    public static Float256 Zero => default;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Float256 Load(ref float source) => new(Vector256.LoadUnsafe(ref source));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Float256 value, ref float destination) => value._v.StoreUnsafe(ref destination);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Float256 MultiplyAdd(Float256 x, float a, Float256 acc) => new(Vector256.FusedMultiplyAdd(x._v, Vector256.Create(a), acc._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AnyGreaterThan(Float256 x, float t) => Vector256.GreaterThanAny(x._v, Vector256.Create(t));
    public static Float256 Create(float a) => new(Vector256.Create(a));
    public static Float256 operator +(Float256 x, Float256 y) => new(x._v + y._v);
    public static Float256 operator -(Float256 x, Float256 y) => new(x._v - y._v);
    public static Float256 operator *(Float256 x, Float256 y) => new(x._v * y._v);
    public static Float256 operator /(Float256 x, Float256 y) => new(x._v / y._v);
    public static Float256 Sqrt(Float256 x) => new(Vector256.Sqrt(x._v));
}

/// <summary>The scalar fallback: a "vector" of one lane.</summary>
internal readonly struct Float1(float v) : IFloatVector<Float1>
{
    readonly float _v = v;
    public static int Count => 1;
    public static Float1 Zero => default;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Float1 Load(ref float source) => new(source);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Float1 value, ref float destination) => destination = value._v;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Float1 MultiplyAdd(Float1 x, float a, Float1 acc) => new(MathF.FusedMultiplyAdd(x._v, a, acc._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AnyGreaterThan(Float1 x, float t) => x._v > t;
    public static Float1 Create(float a) => new(a);
    public static Float1 operator +(Float1 x, Float1 y) => new(x._v + y._v);
    public static Float1 operator -(Float1 x, Float1 y) => new(x._v - y._v);
    public static Float1 operator *(Float1 x, Float1 y) => new(x._v * y._v);
    public static Float1 operator /(Float1 x, Float1 y) => new(x._v / y._v);
    public static Float1 Sqrt(Float1 x) => new(MathF.Sqrt(x._v));
}
