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
                heap.DrainDescending(indices.AsSpan(r * k, k), values.AsSpan(r * k, k));
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
        ref float start = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(row);
        for (; j + V.Count <= n; j += V.Count)
        {
            if (!V.AnyGreaterThan(V.Load(ref System.Runtime.CompilerServices.Unsafe.Add(ref start, j)), heap.MinValue)) continue;
            for (int i = j; i < j + V.Count; i++)
                if (row[i] > heap.MinValue) heap.ReplaceMin(row[i], i);
        }
        for (; j < n; j++)
            if (row[j] > heap.MinValue) heap.ReplaceMin(row[j], j);
    }

    /// <summary>
    /// A min-heap of (value, index) whose root is the worst kept entry: lower value, or equal
    /// value and higher index.
    /// </summary>
    sealed class MinHeap(int capacity)
    {
        readonly float[] _values = new float[capacity];
        readonly int[] _indices = new int[capacity];
        int _count;

        public int Capacity => _values.Length;
        public bool IsFull => _count == _values.Length;
        public float MinValue => _values[0];

        public void Push(float value, int index)
        {
            int i = _count++;
            while (i > 0)
            {
                int parent = (i - 1) >> 1;
                if (!Worse(value, index, _values[parent], _indices[parent])) break;
                _values[i] = _values[parent]; _indices[i] = _indices[parent];
                i = parent;
            }
            _values[i] = value; _indices[i] = index;
        }

        public void ReplaceMin(float value, int index)
        {
            _values[0] = value; _indices[0] = index;
            SiftDown(0);
        }

        /// <summary>Empties the heap into the slots best first, padding with (−1, −∞).</summary>
        public void DrainDescending(Span<int> indices, Span<float> values)
        {
            indices[_count..].Fill(-1);
            values[_count..].Fill(float.NegativeInfinity);
            while (_count > 0)
            {
                int last = --_count;
                indices[last] = _indices[0]; values[last] = _values[0];
                _values[0] = _values[last]; _indices[0] = _indices[last];
                SiftDown(0);
            }
        }

        void SiftDown(int i)
        {
            float v = _values[i]; int x = _indices[i];
            while (true)
            {
                int child = 2 * i + 1;
                if (child >= _count) break;
                if (child + 1 < _count && Worse(_values[child + 1], _indices[child + 1], _values[child], _indices[child])) child++;
                if (!Worse(_values[child], _indices[child], v, x)) break;
                _values[i] = _values[child]; _indices[i] = _indices[child];
                i = child;
            }
            _values[i] = v; _indices[i] = x;
        }

        static bool Worse(float a, int ia, float b, int ib) => a < b || (a == b && ia > ib);
    }
}
