using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Crane.Numerics;

/// <summary>Top-k per row of a dense score tensor (k ≪ n).</summary>
public static class TopK
{
    /// <summary>
    /// For each row, the k largest values in descending order and their column indices; ties go
    /// to the lower index. <paramref name="indices"/> and <paramref name="values"/> are Rows×k
    /// (int and float, row-major). NaN never enters the top-k; when a row has fewer than k other
    /// values the rest of its slots hold index −1 and value −∞.
    /// </summary>
    /// <remarks>
    /// One pass per row with a size-k min-heap of the best so far; once it is full, a block of
    /// columns is skipped with one vector compare when none beats the heap's minimum, which is
    /// most of them when k ≪ n. Parallel over rows; each row's result does not depend on threads.
    /// </remarks>
    public static void PerRow(Tensor scores, int k, int[] indices, float[] values)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        long needed = (long)scores.Rows * k;
        if (indices.Length < needed || values.Length < needed)
            throw new ArgumentException($"Top-{k} of {scores.Rows} rows needs {needed} slots; indices has {indices.Length}, values {values.Length}.");
        if (k == 0 || scores.Rows == 0) return;
        var width = Simd.Width;
        Parallelism.ForBlocks(scores.Rows, Math.Max(1, 16384 / Math.Max(1, scores.Cols)), (r0, r1) =>
        {
            var heap = new MinHeap(Math.Min(k, scores.Cols));
            for (int r = r0; r < r1; r++)
            {
                var row = scores.Row(r);
                switch (width)
                {
                    case SimdWidth.Vector512: Scan<Float512>(row, heap); break;
                    case SimdWidth.Vector256: Scan<Float256>(row, heap); break;
                    default: Scan<Float1>(row, heap); break;
                }
                heap.DrainDescending(row, indices.AsSpan(r * k, k), values.AsSpan(r * k, k));
            }
        });
    }

    static void Scan<V>(ReadOnlySpan<float> row, MinHeap heap) where V : struct, IFloatVector<V>
    {
        int n = row.Length, j = 0;
        // Fill the heap; a candidate tying the minimum loses because its index is higher.
        for (; j < n && !heap.IsFull; j++)
            if (!float.IsNaN(row[j])) heap.Push(row[j], j);
        if (heap.Capacity == 0) return;
        ref float start = ref MemoryMarshal.GetReference(row);
        for (; j + V.Count <= n; j += V.Count)
        {
            if (!V.AnyGreaterThan(V.Load(ref Unsafe.Add(ref start, j)), heap.MinValue)) continue;
            for (int i = j; i < j + V.Count; i++)
                if (row[i] > heap.MinValue) heap.ReplaceMin(row[i], i);
        }
        for (; j < n; j++)
            if (row[j] > heap.MinValue) heap.ReplaceMin(row[j], j);
    }

    /// <summary>
    /// A min-heap of kept entries whose root is the worst one. Each entry is one 64-bit key that
    /// orders like "better": the value's bits made order-preserving in the high half, the
    /// complemented index in the low half (so on equal values the lower index is better); one
    /// integer compare per step keeps sifting cheap.
    /// </summary>
    sealed class MinHeap(int capacity)
    {
        readonly ulong[] _keys = new ulong[capacity];
        int _count;

        public int Capacity => _keys.Length;
        public bool IsFull => _count == _keys.Length;
        public float MinValue { get; private set; }

        public void Push(float value, int index)
        {
            ulong key = Key(value, index);
            int i = _count++;
            while (i > 0)
            {
                int parent = (i - 1) >> 1;
                if (_keys[parent] <= key) break;
                _keys[i] = _keys[parent];
                i = parent;
            }
            _keys[i] = key;
            MinValue = ValueOf(_keys[0]);
        }

        public void ReplaceMin(float value, int index)
        {
            SiftDown(Key(value, index));
            MinValue = ValueOf(_keys[0]);
        }

        /// <summary>Empties the heap into the slots best first, padding with (−1, −∞).</summary>
        public void DrainDescending(ReadOnlySpan<float> row, Span<int> indices, Span<float> values)
        {
            indices[_count..].Fill(-1);
            values[_count..].Fill(float.NegativeInfinity);
            while (_count > 0)
            {
                ulong worst = _keys[0];
                int index = ~(int)(uint)worst;
                indices[--_count] = index;
                values[_count] = row[index];
                if (_count > 0) SiftDown(_keys[_count]);
            }
        }

        /// <summary>Puts <paramref name="key"/> at the root and sifts it down to its place.</summary>
        void SiftDown(ulong key)
        {
            int i = 0;
            while (true)
            {
                int child = 2 * i + 1;
                if (child >= _count) break;
                if (child + 1 < _count && _keys[child + 1] < _keys[child]) child++;
                if (key <= _keys[child]) break;
                _keys[i] = _keys[child];
                i = child;
            }
            _keys[i] = key;
        }

        static ulong Key(float value, int index)
        {
            uint bits = BitConverter.SingleToUInt32Bits(value + 0f); // + 0 turns −0 into +0: they tie
            uint ordered = (bits & 0x8000_0000) != 0 ? ~bits : bits | 0x8000_0000;
            return (ulong)ordered << 32 | ~(uint)index;
        }

        static float ValueOf(ulong key)
        {
            uint ordered = (uint)(key >> 32);
            return BitConverter.UInt32BitsToSingle((ordered & 0x8000_0000) != 0 ? ordered & 0x7FFF_FFFF : ~ordered);
        }
    }
}
