// matmul_epilogue.wgsl — the output step the four matmul kernels share (matmul, matmul_rowwise,
// matmul_subgroup, matmul_tiled). Computes nothing on its own: it is concatenated before the kernel,
// which declares `Y: array<f32>` (read_write) and `override EPILOGUE: u32`.
//   EPILOGUE 0: Y[y] = acc | 1: Y[y] += acc (residual add) | 2: Y[y] = silu(gate) * acc
//            3: Y[y] = gelu_tanh(gate) * acc
// `gate` is read only by epilogues 2 and 3 (the caller fetches it from G, or from the fused gate rows).

fn gelu_tanh(x: f32) -> f32 {
    let inner = 0.7978845608028654 * (x + 0.044715 * x * x * x);
    return 0.5 * x * (1.0 + tanh(clamp(inner, -15.0, 15.0)));
}

fn store_output(y: u32, acc: f32, gate: f32) {
    var s = acc;
    if (EPILOGUE == 1u) {
        s += Y[y];
    } else if (EPILOGUE == 2u) {
        s *= gate / (1.0 + exp(-gate));
    } else if (EPILOGUE == 3u) {
        s *= gelu_tanh(gate);
    }
    Y[y] = s;
}
